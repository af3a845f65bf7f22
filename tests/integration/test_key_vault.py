"""Privacy's key vault holds intake's family keys: wrapped at rest, reachable only with
the owning service's token, rotated under a new master key, destroyed on erasure."""

import base64
import json

import pytest
from bson import json_util

from entraide.contracts.kit.keyvault_client import KeyDestroyedError, service_token
from entraide.intake import service
from entraide.intake.app import create_app as intake_app
from entraide.privacy.app import create_app as privacy_app
from entraide.privacy.vault import KeyVault
from tests.privacy_support import vault_client, vault_keys
from tests.support import IDENTITY_VALUES, request_body, serving

NEW_MASTER = base64.b64encode(b"a-new-master-key-for-the-vault!!").decode()


async def test_intake_seals_identity_with_a_key_from_the_vault(
    intake_settings, privacy_settings, staff_bearer, mongo
) -> None:
    privacy = privacy_app(privacy_settings)
    app = intake_app(intake_settings, keys=vault_keys(privacy, intake_settings))
    intake_db, privacy_db = mongo[intake_settings.database], mongo[privacy_settings.database]
    async with serving(privacy) as vault_http, serving(app) as intake:
        intake.headers.update(staff_bearer)
        created = (await intake.post("/api/v1/requests", json=request_body())).json()
        family = await intake_db["families"].find_one(
            {"requests.request_id": created["request_id"]}
        )
        fid = family["_id"]
        assert "family_keys" not in await intake_db.list_collection_names()
        stored = await privacy_db["keys"].find_one({"_id": f"intake/{fid}"})
        assert stored["subject_ref"] == family["family_ref"]
        assert "wrapped" in stored
        dumped = json.dumps([family, stored], default=json_util.default)
        assert not [v for v in IDENTITY_VALUES if v in dumped]

        shown = (await intake.get(f"/api/v1/families/{fid}")).json()
        assert shown["identity"]["parent"]["last_name"] == "Diallo"

        # only intake's own token reaches intake's keys
        as_directory = {
            "Authorization": f"Bearer {service_token('directory', 'wrong-secret-' * 3)}"
        }
        assert (
            await vault_http.get(f"/internal/v1/keys/{fid}", headers=as_directory)
        ).status_code == 401
        assert (await vault_http.get(f"/internal/v1/keys/{fid}")).status_code == 401
        assert await vault_client(privacy, "directory").fetch(fid) is None
        assert await vault_client(privacy, "intake").fetch(fid) is not None

        # destroyed: unreadable everywhere, and never created again
        await vault_client(privacy, "intake").destroy(fid)
        keys = vault_keys(privacy, intake_settings)
        assert await service.family_identity(app.state.families, keys, fid) is None
        with pytest.raises(LookupError):
            await keys.key_for(fid, family["family_ref"])


async def test_rotation_rewraps_every_key_under_the_new_master(privacy_settings, mongo) -> None:
    db = mongo[privacy_settings.database]
    old = KeyVault(db, privacy_settings.masters(), privacy_settings.active_master)
    keys = {}
    for n in range(5):
        keys[n], _ = await old.get_or_create(
            "intake", f"family-{n:04d}", subject_ref=f"ref-{n:06d}", subject_kind="family"
        )
    await old.destroy("intake", "family-0004")

    both = {**privacy_settings.masters(), "new": base64.b64decode(NEW_MASTER)}
    assert await KeyVault(db, both, "new").rotate(batch=2) == 4
    assert await KeyVault(db, both, "new").rotate() == 0

    only_new = KeyVault(db, {"new": base64.b64decode(NEW_MASTER)}, "new")
    for n in range(4):
        assert await only_new.get("intake", f"family-{n:04d}") == keys[n]
    with pytest.raises(KeyDestroyedError):
        await only_new.get("intake", "family-0004")
