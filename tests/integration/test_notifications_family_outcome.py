"""The family's outcome « Une association va vous appeler », across intake and matching
running for real (in-process, real Kafka and store, a real SMTP server: aiosmtpd): a parent
asks on the family's door, staff confirm, matching's engine proposes the test's volunteer,
and intake, reading the proposal on the matches topic, tells the family by each channel
it chose (its e-mail to the SMTP server; its SMS recorded, no SMS sender here). The proposal delivered again and the match's start (both steps that announce the
call) send nothing more.

Matching reads intake's real requests topic and its own scratch volunteers topic, where
the test's volunteer waits in La Baule for a need no other test's family has near it."""

import json
import re
import uuid
from datetime import UTC, datetime

import pytest
from aiokafka import AIOKafkaProducer

from entraide.contracts import new_event
from entraide.contracts.events import MatchProposed, MatchStarted
from entraide.contracts.topics import MATCHES, REQUESTS
from entraide.intake.app import create_app as intake_app
from entraide.intake.usecases.self_requests import FamilyDoor
from entraide.kit.deps import lookup
from entraide.matching.adapters.matches import MatchStore
from entraide.matching.adapters.volunteers import VolunteerViews
from entraide.matching.app import create_app as matching_app
from tests.integration.test_family_door import code_of, form, status_of
from tests.matching_support import feed, volunteer
from tests.smtp_server import running_smtp_server
from tests.support import eventually, records, serving

LA_BAULE = "44500"
NEED = "activites-et-lien-social"
EMAIL = "awa.traore@example.org"  # the door's form
CALLING = "Une association va vous appeler"
REPLAY = 180  # intake and matching replay the shared topics from the start


@pytest.fixture
def mailbox(monkeypatch):
    """A real SMTP server: intake's notifier sends the family's e-mails there."""
    with running_smtp_server() as box:
        monkeypatch.setenv("ENTRAIDE_SMTP_PORT", str(box.port))
        yield box


def calls(mailbox) -> list[str]:
    return [m.get_content() for m in mailbox.to(EMAIL) if m["Subject"] == CALLING]


async def test_a_parent_who_wrote_on_the_arabic_page_is_answered_in_arabic(
    intake_settings, mailbox
) -> None:
    """The page's language (chosen with ?lang=, then kept by its cookie) is the family's
    messages' language: the e-mail that gives the follow-up code is in Arabic."""
    app = intake_app(intake_settings)
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


async def test_matching_proposes_for_real_and_the_family_is_told_once(
    intake_settings, matching_settings, dev_issuer, mongo, mailbox
) -> None:
    async with feed(matching_settings.kafka_bootstrap) as world:
        settings = world.settings(
            dev_issuer.settings_for(matching_settings), requests_topic=REQUESTS.name
        )
        helper = volunteer(uuid.uuid4().hex[:16], postal_code=LA_BAULE, needs=(NEED,), capacity=20)
        await world.send(world.volunteers, helper, helper.volunteer_ref)
        app, matching = intake_app(intake_settings), matching_app(settings)
        async with serving(app) as intake, serving(matching):
            await eventually(
                lambda: lookup(matching, VolunteerViews).get(helper.volunteer_ref),
                what="matching knows the volunteer",
            )
            door = lookup(app, FamilyDoor)
            asked = form(door, postal_code=LA_BAULE, commune="La Baule-Escoublac", needs=[NEED])
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

            async def told():
                return calls(mailbox)

            [text] = await eventually(told, timeout=REPLAY, what="the family told of the call")
            assert "Bonne nouvelle : une association va vous appeler" in text
            assert code in text
            db = mongo[intake_settings.database]
            family = await db["families"].find_one({"requests.channel": "family"})
            request_id = family["requests"][0]["request_id"]
            proposal = await lookup(matching, MatchStore).open_for_request(request_id)
            assert proposal.support_key == f"volunteer:{helper.volunteer_ref}"
            intake.cookies.clear()
            assert await status_of(intake, code) == CALLING

            # the proposal delivered again, then the match's start: both announce the call
            key = family["family_ref"].encode()
            [record] = await records(
                intake_settings.kafka_bootstrap,
                MATCHES.name,
                key=key,
                where=lambda r: b"match.proposed" in r.value,
            )
            proposed = MatchProposed.model_validate(json.loads(record.value)["data"])
            started = MatchStarted(
                match_id=proposed.match_id,
                request_id=proposed.request_id,
                family_ref=proposed.family_ref,
                association_id=proposed.association_id,
                started_at=datetime.now(UTC),
            )
            producer = AIOKafkaProducer(bootstrap_servers=intake_settings.kafka_bootstrap)
            await producer.start()
            try:
                await producer.send_and_wait(MATCHES.name, record.value, key=key)
                event = new_event(started, source="/tests", subject=proposed.family_ref)
                await producer.send_and_wait(
                    MATCHES.name, event.model_dump_json().encode(), key=key
                )
            finally:
                await producer.stop()

            async def started_noted():
                found = await db["families"].find_one({"_id": family["_id"]})
                steps = found.get("orientation", [])
                return any(s["state"] == "started" and s["request_id"] == request_id for s in steps)

            await eventually(started_noted, timeout=60, what="intake notes the start")
        assert len(calls(mailbox)) == 1
        # the family chose SMS and e-mail: one record per channel, whatever was redelivered
        # (no SMS sender here: the SMS is recorded failed, or held by the quiet hours)
        told = await db["notifications"].find({"template": "demande-suite"}).to_list()
        by_channel = {r["channel"]: r for r in told}
        assert (len(told), sorted(by_channel)) == (2, ["email", "sms"])
        assert by_channel["email"]["outcome"] == "sent"
        assert EMAIL not in json.dumps(told, default=str)
