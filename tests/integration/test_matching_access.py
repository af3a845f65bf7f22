"""Only the coordinator of the volunteer's association, in their territories, decides on a
proposal; staff see their queue; other associations see nothing (API and pages)."""

import re

from entraide.matching.app import create_app
from tests.matching_support import feed, request, volunteer
from tests.support import eventually, serving


async def bearer(dev_issuer, username: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {await dev_issuer.token_for(username)}"}


async def test_deciding_is_for_the_associations_coordinator_only(matching_settings, dev_issuer):
    async with feed(matching_settings.kafka_bootstrap) as world:
        app = create_app(world.settings(dev_issuer.settings_for(matching_settings)))
        async with serving(app) as matching:
            await world.send(world.volunteers, volunteer("vol-access1"), "vol-access1")
            await eventually(
                lambda: app.state.volunteer_views.get("vol-access1"), what="the volunteer"
            )
            req = request()
            await world.send(world.requests, req, req.family_ref)
            match = await eventually(
                lambda: app.state.engine.store.open_for_request(req.request_id), what="proposal"
            )
            url = f"/api/v1/proposals/{match.match_id}"
            accept = {"decision": "accept"}

            assert (await matching.get("/api/v1/proposals")).status_code == 401
            staff = await bearer(dev_issuer, "ppm-nantes")
            listed = (await matching.get("/api/v1/proposals", headers=staff)).json()
            assert [p["match_id"] for p in listed] == [match.match_id]
            assert listed[0]["breakdown"]["priority"] > 0
            assert (await matching.post(url, json=accept, headers=staff)).status_code == 403

            other = await bearer(dev_issuer, "coordination-afev")
            assert (await matching.get("/api/v1/proposals", headers=other)).json() == []
            assert (await matching.post(url, json=accept, headers=other)).status_code == 404

            await dev_issuer.sign_in(matching, "coordination-afev")
            page = await matching.get("/propositions")
            assert req.request_id not in page.text
            token = re.search(r'name="csrf" value="([0-9a-f]+)"', page.text)
            refused = await matching.post(
                f"/propositions/{match.match_id}/accepter",
                data={"csrf": token.group(1) if token else ""},
            )
            assert refused.status_code == 403

            coordinator = await bearer(dev_issuer, "coordination-ppm")
            bad = await matching.post(
                url, json={"decision": "decline", "reason": "nope"}, headers=coordinator
            )
            assert bad.status_code == 422
            assert (await matching.post(url, json=accept, headers=coordinator)).json()[
                "state"
            ] == "accepted"
            again = await matching.post(url, json=accept, headers=coordinator)
            assert again.status_code == 409
