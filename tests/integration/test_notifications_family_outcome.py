"""The family's outcome « Une association va prendre contact avec vous », across intake and
matching running for real (in-process, real Kafka and store, a real SMTP server: aiosmtpd):
a parent asks on the family's door by e-mail only, staff confirm, matching's engine proposes
the test's volunteer: a proposal (a suggestion the association may decline) tells the family
nothing. The association accepts: intake, reading the acceptance on the matches topic, tells
the family by the channel it chose, without a word of a call it did not ask for. The
acceptance delivered again and the match's start send nothing more.

Matching reads intake's real requests topic and its own scratch volunteers topic, where
the test's volunteer waits in La Baule for a need no other test's family has near it."""

import asyncio
import json
import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from aiokafka import AIOKafkaProducer

from entraide.contracts import new_event
from entraide.contracts.events import MatchAccepted, MatchClosed, MatchProposed, MatchStarted
from entraide.contracts.topics import MATCHES, REQUESTS
from entraide.contracts.vocab import MatchOutcome
from entraide.intake.app import create_app as intake_app
from entraide.intake.usecases.self_requests import FamilyDoor
from entraide.kit.deps import lookup
from entraide.matching.adapters.matches import MatchStore
from entraide.matching.adapters.volunteers import VolunteerViews
from entraide.matching.app import create_app as matching_app
from tests.integration.test_family_door import code_of, form, mailing, status_of
from tests.matching_support import feed, volunteer
from tests.smtp_server import running_smtp_server
from tests.support import eventually, records, serving

LA_BAULE = "44500"
NEED = "activites-et-lien-social"
EMAIL = "awa.traore@example.org"  # the door's form
CALLING = "Une association va prendre contact avec vous"  # she chose the e-mail alone
REPLAY = 180  # intake and matching replay the shared topics from the start


@pytest.fixture
def mailbox():
    """A real SMTP server: intake's notifier sends the family's e-mails there (`mailing`)."""
    with running_smtp_server() as box:
        yield box


def calls(mailbox) -> list[str]:
    return [m.get_content() for m in mailbox.to(EMAIL) if m["Subject"] == CALLING]


async def test_a_parent_who_wrote_on_the_arabic_page_is_answered_in_arabic(
    intake_settings, mailbox
) -> None:
    """The page's language (chosen with ?lang=, then kept by its cookie) is the family's
    messages' language: the e-mail that gives the follow-up code is in Arabic."""
    app = intake_app(mailing(intake_settings, mailbox))
    async with serving(app) as intake:
        page = await intake.get("/demander-aide?lang=ar")
        assert 'lang="ar"' in page.text
        sent = await intake.post("/demander-aide", data=form(lookup(app, FamilyDoor)))
        assert sent.status_code == 200, sent.text
        code = code_of(sent.text)

        async def received():
            return [m for m in mailbox.to(EMAIL) if code in m.get_content()]

        [mail] = await eventually(received, what="the e-mail with the code")
    assert mail["Subject"] == "لقد استلمنا طلب المساعدة الخاص بك"
    assert f"رمز المتابعة الخاص بك: {code}" in mail.get_content()


async def test_the_family_is_told_once_the_association_accepts_never_at_a_proposal(
    intake_settings, matching_settings, dev_issuer, mongo, mailbox
) -> None:
    async with feed(matching_settings.kafka_bootstrap) as world:
        settings = world.settings(
            dev_issuer.settings_for(matching_settings), requests_topic=REQUESTS.name
        )
        helper = volunteer(uuid.uuid4().hex[:16], postal_code=LA_BAULE, needs=(NEED,), capacity=20)
        await world.send(world.volunteers, helper, helper.volunteer_ref)
        app, matching = intake_app(mailing(intake_settings, mailbox)), matching_app(settings)
        async with serving(app) as intake, serving(matching):
            await eventually(
                lambda: lookup(matching, VolunteerViews).get(helper.volunteer_ref),
                what="matching knows the volunteer",
            )
            door = lookup(app, FamilyDoor)
            asked = form(
                door,
                postal_code=LA_BAULE,
                commune="La Baule-Escoublac",
                needs=[NEED],
                contact_preferences=["email"],
            )
            sent = await intake.post("/demander-aide", data=asked)
            assert sent.status_code == 200, sent.text
            code = code_of(sent.text)
            assert calls(mailbox) == []  # received, not yet proposed

            await dev_issuer.sign_in(intake, "ppm-nantes")
            queue = (await intake.get("/a-confirmer")).text
            [self_id] = set(re.findall(r'action="/a-confirmer/([0-9a-f]+)"', queue))
            csrf = re.search(r'name="csrf" value="([^"]+)"', queue).group(1)
            done = await intake.post(
                f"/a-confirmer/{self_id}", data={"csrf": csrf, "action": "confirmer"}
            )
            assert done.status_code == 303

            db = mongo[intake_settings.database]
            family = await db["families"].find_one({"requests.channel": "family"})
            request_id = family["requests"][0]["request_id"]

            async def noted(state: str) -> bool:
                found = await db["families"].find_one({"_id": family["_id"]})
                steps = found.get("orientation", [])
                return any(s["state"] == state and s["request_id"] == request_id for s in steps)

            await eventually(lambda: noted("proposed"), timeout=REPLAY, what="the proposal")
            proposal = await lookup(matching, MatchStore).open_for_request(request_id)
            assert proposal.support_key == f"volunteer:{helper.volunteer_ref}"
            await asyncio.sleep(2)  # the batch's last step (telling the family) has run
            assert calls(mailbox) == []  # a proposal alone: nothing said to the family
            assert await db["notifications"].count_documents({"template": "demande-suite"}) == 0
            intake.cookies.clear()
            assert await status_of(intake, code) == "Votre demande est confirmée"

            # the association accepts (delivered twice), then the match starts
            key = family["family_ref"].encode()
            [record] = await records(
                intake_settings.kafka_bootstrap,
                MATCHES.name,
                key=key,
                where=lambda r: b"match.proposed" in r.value,
            )
            proposed = MatchProposed.model_validate(json.loads(record.value)["data"])
            said = {
                "match_id": proposed.match_id,
                "request_id": proposed.request_id,
                "family_ref": proposed.family_ref,
                "association_id": proposed.association_id,
            }
            accepted = new_event(
                MatchAccepted(**said, accepted_at=datetime.now(UTC)),
                source="/tests",
                subject=proposed.family_ref,
            )
            started = new_event(
                MatchStarted(**said, started_at=datetime.now(UTC)),
                source="/tests",
                subject=proposed.family_ref,
            )
            producer = AIOKafkaProducer(bootstrap_servers=intake_settings.kafka_bootstrap)
            await producer.start()
            try:
                for event in (accepted, accepted, started):
                    await producer.send_and_wait(
                        MATCHES.name, event.model_dump_json().encode(), key=key
                    )
            finally:
                await producer.stop()

            async def told():
                return calls(mailbox)

            [text] = await eventually(told, timeout=60, what="the family told of the acceptance")
            assert "Bonne nouvelle : une association va prendre contact avec vous" in text
            assert "appeler" not in text  # she chose the e-mail: nobody said a call
            assert code in text
            await eventually(lambda: noted("started"), timeout=60, what="intake notes the start")
            await asyncio.sleep(2)  # the start's batch has run to its end
            assert await status_of(intake, code) == "L'accompagnement a commencé"
        assert len(calls(mailbox)) == 1
        # the family chose the e-mail alone: one record, whatever was redelivered
        told = await db["notifications"].find({"template": "demande-suite"}).to_list()
        assert [(r["channel"], r["outcome"]) for r in told] == [("email", "sent")]
        assert EMAIL not in json.dumps(told, default=str)


INTERRUPTED = "A pessoa que a acompanhava já não está disponível"  # she wrote in Portuguese


async def confirmed_door_request(
    app, intake, dev_issuer, mongo, intake_settings, email: str, **asked_for: object
) -> tuple:
    """A parent asks on the Portuguese page, by e-mail only (her own address and phone:
    the door's limit per contact; `asked_for`: the form's other fields changed); staff
    confirm: her code, the family's record and the published request's id."""
    await intake.get("/demander-aide?lang=pt")
    phone = "06 " + " ".join(f"{n % 100:02d}" for n in uuid.uuid4().bytes[:4])
    mine = {"parent.email": email, "parent.phone": phone}
    asked = form(lookup(app, FamilyDoor), contact_preferences=["email"], **mine, **asked_for)
    sent = await intake.post("/demander-aide", data=asked)
    assert sent.status_code == 200, sent.text
    code = code_of(sent.text)
    intake.cookies.clear()
    await dev_issuer.sign_in(intake, "ppm-nantes")
    queue = (await intake.get("/a-confirmer")).text
    self_id = re.findall(r'action="/a-confirmer/([0-9a-f]+)"', queue)[-1]
    csrf = re.search(r'name="csrf" value="([^"]+)"', queue).group(1)
    done = await intake.post(f"/a-confirmer/{self_id}", data={"csrf": csrf, "action": "confirmer"})
    assert done.status_code == 303
    intake.cookies.clear()
    db = mongo[intake_settings.database]
    found = await db["self_requests"].find_one({"_id": self_id})
    family = await db["families"].find_one({"_id": found["family_id"]})
    return code, family, family["requests"][0]["request_id"]


@pytest.mark.parametrize(
    ("outcome", "told"),
    [
        (MatchOutcome.VOLUNTEER_UNAVAILABLE, True),
        (MatchOutcome.REQUEST_WITHDRAWN, False),
        (MatchOutcome.COMPLETED, False),
    ],
)
async def test_a_support_gone_not_by_her_doing_is_told_her_once_in_her_language(
    intake_settings, dev_issuer, mongo, mailbox, outcome, told
) -> None:
    """Accepted, then closed: her volunteer unavailable tells her once (the close
    delivered twice), in Portuguese, with no word of a call (she chose the e-mail), and
    /suivi says the same; her own withdrawal or a completed support tells her nothing."""
    app = intake_app(mailing(intake_settings, mailbox))
    async with serving(app) as intake:
        email = f"parent.{uuid.uuid4().hex[:8]}@example.org"
        code, family, request_id = await confirmed_door_request(
            app, intake, dev_issuer, mongo, intake_settings, email
        )
        ref = family["family_ref"]
        said = {
            "match_id": uuid.uuid4().hex,
            "request_id": request_id,
            "family_ref": ref,
            "association_id": "parrains-par-mille",
        }
        now = datetime.now(UTC)
        accepted = MatchAccepted(**said, accepted_at=now)
        closed = MatchClosed(**said, outcome=outcome, closed_at=now + timedelta(seconds=1))
        producer = AIOKafkaProducer(bootstrap_servers=intake_settings.kafka_bootstrap)
        await producer.start()
        try:
            for data in (accepted, closed, closed):
                event = new_event(data, source="/tests", subject=ref)
                await producer.send_and_wait(
                    MATCHES.name, event.model_dump_json().encode(), key=ref.encode()
                )
        finally:
            await producer.stop()
        db = mongo[intake_settings.database]

        async def noted() -> bool:
            found = await db["families"].find_one({"_id": family["_id"]})
            return any(s["state"] == "closed" for s in found.get("orientation", []))

        await eventually(noted, timeout=REPLAY, what="intake notes the close")
        await asyncio.sleep(2)  # the batch's last step (telling the family) has run

        def interrupted() -> list[str]:
            return [m.get_content() for m in mailbox.to(email) if m["Subject"] == INTERRUPTED]

        if not told:
            assert interrupted() == []
            assert (
                await db["notifications"].count_documents({"template": "accompagnement-interrompu"})
                == 0
            )
            return

        async def told_her() -> list[str]:
            return interrupted()

        [text] = await eventually(told_her, timeout=60, what="the family told")
        assert "Não foi por nada que tenha feito" in text
        assert code in text
        assert "telefon" not in text.lower()  # she chose the e-mail: nobody said a call
        await intake.get("/suivi?lang=pt")  # her page's language, kept by its cookie
        assert await status_of(intake, code) == INTERRUPTED
        await asyncio.sleep(2)
    assert len(interrupted()) == 1
    sent = await db["notifications"].find({"template": "accompagnement-interrompu"}).to_list()
    assert [(r["channel"], r["outcome"]) for r in sent] == [("email", "sent")]
