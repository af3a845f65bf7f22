"""A volunteer's honorability check that lapsed after their proposal (here directory says
so by a new revision) refuses the proposal's acceptance, through the API on the real
broker and store: a 409 with the French sentence, the match closed as a volunteer's no
longer available, the family back on the waitlist."""

from datetime import UTC, datetime, timedelta

from entraide.contracts.paris import paris_day
from entraide.kit import formats
from entraide.kit.deps import lookup
from entraide.matching.adapters.volunteers import VolunteerViews
from entraide.matching.app import create_app
from entraide.matching.usecases.engine import Engine
from tests.matching_support import feed, request, volunteer
from tests.support import eventually, serving


async def test_accepting_a_volunteer_whose_check_lapsed_is_refused_and_the_family_waits(
    matching_settings, dev_issuer
) -> None:
    today = paris_day(datetime.now(UTC))
    lapsed = today - timedelta(days=1)
    async with feed(matching_settings.kafka_bootstrap) as world:
        app = create_app(world.settings(dev_issuer.settings_for(matching_settings)))
        async with serving(app) as matching:
            views, engine = lookup(app, VolunteerViews), lookup(app, Engine)
            await world.send(
                world.volunteers, volunteer("vol-lapse1", honorability=today), "vol-lapse1"
            )
            await eventually(lambda: views.get("vol-lapse1"), what="the volunteer")
            req = request()
            await world.send(world.requests, req, req.family_ref)
            match = await eventually(
                lambda: engine.store.open_for_request(req.request_id), what="proposal"
            )
            moved = volunteer("vol-lapse1", honorability=lapsed, revision=2)
            await world.send(world.volunteers, moved, "vol-lapse1")

            async def read() -> bool:
                doc = await views.get("vol-lapse1")
                return bool(doc and doc["revision"] == 2)

            await eventually(read, what="the check's new day")
            coordinator = {
                "Authorization": f"Bearer {await dev_issuer.token_for('coordination-ppm')}"
            }
            answer = await matching.post(
                f"/api/v1/proposals/{match.match_id}",
                json={"decision": "accept"},
                headers=coordinator,
            )
            ended = await engine.store.get(match.match_id)
            waiting = await engine.store.waiting_ids()

    assert answer.status_code == 409
    assert answer.json()["detail"].startswith(
        "L'attestation d'honorabilité du bénévole de Parrains Par Mille a expiré le "
        f"{formats.long_day(lapsed)} : la proposition ne peut pas être acceptée."
    )
    assert "vol-lapse1" not in answer.text
    assert ended is not None
    assert (ended.state, ended.outcome) == ("closed", "volunteer-unavailable")
    assert req.request_id in waiting
