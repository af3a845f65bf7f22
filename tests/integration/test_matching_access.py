"""Only the coordinator of the volunteer's association, in their territories, decides on a
proposal; staff see their queue; other associations see nothing (API and pages)."""

import re

from entraide.kit.deps import lookup
from entraide.matching.adapters.requests import RequestViews
from entraide.matching.adapters.volunteers import VolunteerViews
from entraide.matching.app import create_app
from entraide.matching.usecases.engine import Engine
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
                lambda: lookup(app, VolunteerViews).get("vol-access1"), what="the volunteer"
            )
            req = request()
            await world.send(world.requests, req, req.family_ref)
            match = await eventually(
                lambda: lookup(app, Engine).store.open_for_request(req.request_id), what="proposal"
            )
            url = f"/api/v1/proposals/{match.match_id}"
            accept = {"decision": "accept"}

            assert (await matching.get("/api/v1/proposals")).status_code == 401
            staff = await bearer(dev_issuer, "ppm-nantes")
            answer = await matching.get("/api/v1/proposals", headers=staff)
            listed = answer.json()  # a page object, as directory's staff lists: no headers
            assert "X-Total-Count" not in answer.headers
            assert "Link" not in answer.headers
            assert [p["match_id"] for p in listed["proposals"]] == [match.match_id]
            assert listed["proposals"][0]["breakdown"]["priority"] > 0
            assert (listed["total"], listed["limit"], listed["next"]) == (1, 20, None)
            assert (await matching.post(url, json=accept, headers=staff)).status_code == 403

            other = await bearer(dev_issuer, "coordination-afev")
            none = (await matching.get("/api/v1/proposals", headers=other)).json()
            assert (none["proposals"], none["total"], none["apres"]) == ([], 0, None)
            assert (await matching.post(url, json=accept, headers=other)).status_code == 404

            await dev_issuer.sign_in(matching, "coordination-afev")
            page = await matching.get("/propositions")
            assert req.request_id not in page.text
            assert "Politique d'urgence" in page.text
            assert "situation de crise" in page.text
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


async def test_a_request_is_shown_to_its_associations_and_the_network_only(
    matching_settings, dev_issuer
):
    async with feed(matching_settings.kafka_bootstrap) as world:
        app = create_app(world.settings(dev_issuer.settings_for(matching_settings)))
        async with serving(app) as matching:
            await world.send(
                world.volunteers,
                volunteer("vol-access2", association="grands-parrains", postal_code="44000"),
                "vol-access2",
            )
            await eventually(
                lambda: lookup(app, VolunteerViews).get("vol-access2"), what="the volunteer"
            )
            proposed, alone = request(), request(postal_code="75011", needs=("ecoute",))
            for req in (proposed, alone):
                await world.send(world.requests, req, req.family_ref)
            await eventually(
                lambda: lookup(app, Engine).store.open_for_request(proposed.request_id),
                what="proposal to Grands Parrains",
            )
            await eventually(
                lambda: lookup(app, RequestViews).get(alone.request_id), what="second one"
            )

            async def status(username: str | None, req) -> int:
                headers = await bearer(dev_issuer, username) if username else {}
                url = f"/api/v1/requests/{req.request_id}"
                return (await matching.get(url, headers=headers)).status_code

            assert await status(None, proposed) == 401
            assert await status("ppm-nantes", proposed) == 200  # recorded it, in 44
            assert await status("gp-nantes", proposed) == 200  # its open proposal
            assert await status("afev-lille", proposed) == 404
            assert await status("coordination-reseau", proposed) == 200
            assert await status("ppm-nantes", alone) == 404  # Paris: not its territory
            assert await status("ppm-paris", alone) == 200
            assert await status("afev-lille", alone) == 404  # no match, not its family
