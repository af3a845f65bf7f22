"""« La personne qui vous accompagnait n'est plus disponible », across intake and matching
both running for real (in-process, the real Kafka and store, a real SMTP server): a parent
asks on the Portuguese page of the family's door, by e-mail only; staff confirm; matching
proposes the test's volunteer; the association's coordinator accepts on matching's own
page. Then the volunteer leaves as directory tells it (their inactive record, then their
tombstone on the volunteers topic): matching closes the accepted match (volunteer
unavailable) and proposes her to the next volunteer; intake tells her once, in Portuguese,
and /suivi says it, the new proposal notwithstanding.

The seam `test_notifications_family_outcome` crosses with a test producer in matching's
place. Matching reads intake's real requests topic and its own scratch volunteers topic,
where the test's volunteers wait in Pornichet for a need no other test's family has there."""

import asyncio
import json
import re
import uuid

from entraide.contracts.topics import MATCHES, REQUESTS
from entraide.contracts.vocab import MatchOutcome
from entraide.intake.app import create_app as intake_app
from entraide.kit.deps import lookup
from entraide.matching.adapters.matches import MatchStore
from entraide.matching.adapters.volunteers import VolunteerViews
from entraide.matching.app import create_app as matching_app
from tests.integration.test_family_door import mailing, status_of
from tests.integration.test_notifications_family_outcome import (  # noqa: F401
    INTERRUPTED,
    REPLAY,
    confirmed_door_request,
    mailbox,
)
from tests.matching_support import feed, volunteer
from tests.support import eventually, records, serving

PORNICHET, NEED = "44380", "grand-parrainage"
PORNICHET_NEED = {"postal_code": PORNICHET, "commune": "Pornichet", "needs": [NEED]}
ACCEPTED = "Uma associação vai entrar em contacto consigo"  # she chose the e-mail alone


async def test_her_volunteer_gone_closes_the_accepted_support_and_she_is_told_once(
    intake_settings,
    matching_settings,
    dev_issuer,
    mongo,
    mailbox,  # noqa: F811
) -> None:
    async with feed(matching_settings.kafka_bootstrap) as world:
        settings = world.settings(
            dev_issuer.settings_for(matching_settings), requests_topic=REQUESTS.name
        )
        first = volunteer(uuid.uuid4().hex[:16], postal_code=PORNICHET, needs=(NEED,), capacity=5)
        nxt = volunteer(uuid.uuid4().hex[:16], postal_code=PORNICHET, needs=(NEED,), capacity=5)
        await world.send(world.volunteers, first, first.volunteer_ref)
        app, matching = intake_app(mailing(intake_settings, mailbox)), matching_app(settings)
        async with serving(app) as intake, serving(matching) as coordinator:
            views, store = lookup(matching, VolunteerViews), lookup(matching, MatchStore)
            await eventually(lambda: views.get(first.volunteer_ref), what="the volunteer known")
            email = f"parent.{uuid.uuid4().hex[:8]}@example.org"
            code, family, request_id = await confirmed_door_request(
                app, intake, dev_issuer, mongo, intake_settings, email, **PORNICHET_NEED
            )
            db, ref = mongo[intake_settings.database], family["family_ref"]

            async def mails(subject: str) -> list[str]:
                return [m.get_content() for m in mailbox.to(email) if m["Subject"] == subject]

            async def steps(state: str) -> list[dict]:
                found = await db["families"].find_one({"_id": family["_id"]})
                return [s for s in found.get("orientation", []) if s["state"] == state]

            # matching proposes the volunteer; their association's coordinator accepts
            proposal = await eventually(
                lambda: store.open_for_request(request_id), timeout=REPLAY, what="a proposal"
            )
            assert proposal.support_key == f"volunteer:{first.volunteer_ref}"
            await dev_issuer.sign_in(coordinator, "coordination-ppm")
            page = (await coordinator.get("/propositions")).text
            assert f'action="/propositions/{proposal.match_id}/accepter"' in page
            csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
            done = await coordinator.post(
                f"/propositions/{proposal.match_id}/accepter", data={"csrf": csrf}
            )
            assert done.status_code == 303, done.text
            assert done.headers["location"].startswith("/propositions?resultat=")
            [told] = await eventually(lambda: mails(ACCEPTED), timeout=60, what="the acceptance")
            assert code in told

            # the next volunteer arrives; the first leaves as directory publishes it
            await world.send(world.volunteers, nxt, nxt.volunteer_ref)
            await eventually(lambda: views.get(nxt.volunteer_ref), what="the next volunteer")
            leaving = first.model_copy(update={"active": False, "revision": 2})
            await world.send(world.volunteers, leaving, first.volunteer_ref)
            await world.producer.send_and_wait(
                world.volunteers, None, key=first.volunteer_ref.encode()
            )

            [closed] = await records(
                intake_settings.kafka_bootstrap,
                MATCHES.name,
                key=ref.encode(),
                where=lambda r: b"match.closed" in r.value,
                timeout=60,
            )
            ended = json.loads(closed.value)["data"]
            assert ended["match_id"] == proposal.match_id
            assert ended["outcome"] == MatchOutcome.VOLUNTEER_UNAVAILABLE.value

            async def placed_again():
                match = await store.open_for_request(request_id)
                return match if match and match.match_id != proposal.match_id else None

            # placed again at once: proposed to the next volunteer
            again = await eventually(placed_again, what="her request placed again")
            assert again.support_key == f"volunteer:{nxt.volunteer_ref}"
            assert again.state == "proposed"

            [text] = await eventually(
                lambda: mails(INTERRUPTED), timeout=60, what="the family told"
            )
            assert "Não foi por nada que tenha feito" in text
            assert code in text
            assert "telefon" not in text.lower()  # she chose the e-mail: nobody said a call
            await eventually(lambda: steps("closed"), what="intake notes the close")

            # intake hears of the new proposal too, which changes nothing she was told
            async def proposed_twice() -> bool:
                return len(await steps("proposed")) == 2

            await eventually(proposed_twice, timeout=60, what="the new proposal noted")
            intake.cookies.clear()
            await intake.get("/suivi?lang=pt")  # her page's language, kept by its cookie
            assert await status_of(intake, code) == INTERRUPTED
            await asyncio.sleep(2)  # a second e-mail, were one to go, has gone
        assert len(await mails(INTERRUPTED)) == 1
        assert len(await mails(ACCEPTED)) == 1
        sent = await db["notifications"].find({"template": "accompagnement-interrompu"}).to_list()
        assert [(r["channel"], r["outcome"]) for r in sent] == [("email", "sent")]
