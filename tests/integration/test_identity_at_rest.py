"""Identity and notes are sealed at rest with the family's key; destroying it erases them."""

import json

from bson import json_util

from entraide.intake.app import create_app as intake_app
from entraide.intake.usecases import recording
from entraide.intake.usecases.casework import Casework
from entraide.kit.deps import lookup
from tests.support import IDENTITY_VALUES, request_body, serving


async def test_identity_is_sealed_at_rest_and_shredded_with_its_key(
    intake_settings, mongo, staff_bearer
) -> None:
    app = intake_app(intake_settings)
    db = mongo[intake_settings.database]
    async with serving(app) as intake:
        intake.headers.update(staff_bearer)
        created = (await intake.post("/api/v1/requests", json=request_body())).json()
        family = await db["families"].find_one({"requests.request_id": created["request_id"]})
        stored = json.dumps(family, default=json_util.default) + json.dumps(
            await db["family_keys"].find_one({"_id": family["_id"]}), default=json_util.default
        )
        assert not [value for value in IDENTITY_VALUES if value in stored]

        casework = lookup(app, Casework)
        families, keys = casework.families, casework.keys
        identity = await recording.family_identity(families, keys, family["_id"])
        assert identity["parent"]["last_name"] == "Diallo"
        assert identity["commune"] == "Nantes"

        await keys.destroy(family["_id"])
        assert await recording.family_identity(families, keys, family["_id"]) is None
