"""A volunteer who leaves, directory stopping once they are marked left and before privacy
is asked: on the real store and broker, directory running, the volunteer approved by their
association on its page. Their wish to be erased was kept first (`volunteer_erasures`,
not answered), and the pass that asks privacy again (`resend`) asks it: privacy, here a
local transport answering as its internal API does, opens the case. Before, the wish was
written only as privacy was asked: stopped in between, nothing was kept, and the volunteer,
left, could not sign in to ask again."""

import httpx
import pytest

from entraide.directory.adapters.volunteers.privacy_erasure import PATH, PrivacyErasure
from entraide.directory.app import create_app as directory_app
from entraide.directory.usecases.volunteer_space import VolunteerSpace
from entraide.kit.deps import lookup
from entraide.kit.keyvault_client import dev_secret
from tests.integration.test_directory_offers import directory_settings  # noqa: F401
from tests.integration.test_volunteer_space import mailbox, space_settings  # noqa: F401
from tests.integration.test_volunteer_to_family import approved_volunteer
from tests.support import serving


class StopsBeforeAsking:
    """Directory's way to privacy, directory stopping as it would ask."""

    def __init__(self, real: PrivacyErasure) -> None:
        self.real = real

    async def keep(self, volunteer_ref: str) -> None:
        await self.real.keep(volunteer_ref)

    async def erase(self, volunteer_ref: str) -> None:
        raise ConnectionError("directory stopped")


async def test_a_volunteer_leaving_as_directory_stops_is_still_asked_for(
    space_settings,  # noqa: F811
    mongo,
    dev_issuer,
) -> None:
    app = directory_app(space_settings)
    db = mongo[space_settings.database]
    async with serving(app) as client:
        stored = await approved_volunteer(app, client, dev_issuer)
        ref = stored["volunteer_ref"]

        space = lookup(app, VolunteerSpace)
        real = space.leaving
        assert isinstance(real, PrivacyErasure)
        space.leaving = StopsBeforeAsking(real)
        with pytest.raises(ConnectionError):
            await space.leave(stored["_id"])
        space.leaving = real
        assert (await db["volunteers"].find_one({"_id": stored["_id"]}))["status"] == "left"
        wish = await db["volunteer_erasures"].find_one({"_id": ref})
        assert wish is not None, "kept before the status"
        assert wish["answered"] is False

        asked: list[dict] = []

        def privacy(request: httpx.Request) -> httpx.Response:
            assert request.url.path == PATH
            asked.append(httpx.Response(200, content=request.content).json())
            return httpx.Response(201, json={"case_id": "case-left", "status": "open"})

        again = PrivacyErasure(
            db,
            "http://privacy.test",
            dev_secret("directory"),
            transport=httpx.MockTransport(privacy),
        )
        assert await again.resend() == 1
        assert asked == [{"subject_ref": ref, "subject_kind": "volunteer"}]
        answered = await db["volunteer_erasures"].find_one({"_id": ref})
        assert (answered["answered"], answered["case_id"]) == (True, "case-left")
