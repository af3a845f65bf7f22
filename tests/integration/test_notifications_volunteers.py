"""What a volunteer is told, on the real store and broker, through a real SMTP server
(aiosmtpd) and a local server that checks Brevo's SMS contract.

Their application's status: received, under review, accepted, declined, each once (a
review sent again sends nothing more), by e-mail, or by SMS when they chose it (held
during the quiet hours, then sent). And the seam: matching, running its real engine on a
family's request, proposes an approved volunteer; directory reads the proposal on the
matches topic and the volunteer gets « Une famille pourrait avoir besoin de vous » (the
need, the département, their space; nothing of the family), once, even redelivered."""

import json
import re
import uuid
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from aiokafka import AIOKafkaProducer
from pydantic import SecretStr

from entraide.contracts import new_event
from entraide.contracts.events import MatchProposed
from entraide.contracts.topics import MATCHES
from entraide.directory.adapters.volunteers.store import VolunteerStore
from entraide.directory.app import create_app as directory_app
from entraide.kit.deps import lookup
from entraide.kit.notifications.mongo import MongoNotifier
from entraide.matching.adapters.matches import MatchStore
from entraide.matching.adapters.volunteers import VolunteerViews
from entraide.matching.app import create_app as matching_app
from tests.integration.test_directory_offers import directory_settings  # noqa: F401
from tests.integration.test_volunteer_to_family import APPLICATION
from tests.matching_support import feed, request
from tests.sms_provider import running_sms_provider
from tests.smtp_server import running_smtp_server
from tests.support import eventually, records, serving
from tests.unit.directory.test_volunteer_news import proposal

EMAIL = APPLICATION["courriel"]
PHONE = "06 12 34 56 78"
STATUS_SUBJECT = "Votre candidature de bénévole"
PROPOSAL_SUBJECT = "Une famille pourrait avoir besoin de vous"
BY_SMS = APPLICATION | {
    "prenom": "Sami",
    "courriel": "sami.invente@example.org",
    "telephone": PHONE,
    "code_postal": "44000",
}


@pytest.fixture
def senders():
    with running_smtp_server() as mailbox, running_sms_provider() as sms:
        yield mailbox, sms


@pytest.fixture
def settings(directory_settings, senders):  # noqa: F811
    """Directory sending to the test's SMTP server and SMS provider; the quiet hours last
    all day (but a minute), so an SMS waits for them to end."""
    mailbox, sms = senders
    return directory_settings.model_copy(
        update={
            "smtp_port": mailbox.port,
            "sms_url": sms.url,
            "sms_api_key": SecretStr(sms.api_key),
            "quiet_start": "0:00",
            "quiet_end": "23:59",
        }
    )


def bodies(mailbox, to: str, subject: str) -> list[str]:
    return [m.get_content() for m in mailbox.to(to) if m["Subject"] == subject]


def status_mails(mailbox, to: str, subject: str) -> list[tuple[str, str]]:
    """The application's status mails, `(subject, body)`: each subject says its status."""
    return [
        (m["Subject"], m.get_content()) for m in mailbox.to(to) if m["Subject"].startswith(subject)
    ]


def api_body(form: dict, **extra: object) -> dict:
    """The public API's application for the page form `form` (and `extra` fields)."""
    return {
        "identity": {"prenom": form["prenom"], "nom": form["nom"], "courriel": form["courriel"]},
        "association_id": form["association_id"],
        "code_postal": form["code_postal"],
        "needs": form["needs"],
        "availability": [{"day": "we", "part": "afternoon"}],
        "languages": ["fr"],
        "capacity": 1,
        "consent": True,
    } | extra


async def apply(app, client, form: dict, **extra: object) -> tuple[str, str]:
    """Apply through the public API; the volunteer's id and reference."""
    answer = await client.post("/api/v1/volunteers", json=api_body(form, **extra))
    assert answer.status_code == 201, answer.text
    volunteer_id = answer.json()["volunteer_id"]
    [doc] = [d for d in await lookup(app, VolunteerStore).all() if d["_id"] == volunteer_id]
    return volunteer_id, doc["volunteer_ref"]


async def review(client, staff, volunteer_id: str, **change: str) -> None:
    answer = await client.patch(
        f"/api/v1/staff/volunteers/{volunteer_id}", json=change, headers=staff
    )
    assert answer.status_code == 200, answer.text


async def test_each_status_reaches_the_volunteer_once_by_their_channel(
    settings, senders, dev_issuer, mongo
) -> None:
    mailbox, sms = senders
    app = directory_app(settings)
    async with serving(app) as client:
        staff = {"Authorization": f"Bearer {await dev_issuer.token_for('ppm-nantes')}"}
        by_mail, ref = await apply(app, client, APPLICATION)
        # the public form: SMS rather than e-mail, to the phone given
        page = await client.post("/devenir-benevole", data=BY_SMS | {"sms": "oui"})
        assert page.status_code == 200, page.text
        [(by_sms, sms_ref)] = [
            (d["_id"], d["volunteer_ref"])
            for d in await lookup(app, VolunteerStore).all()
            if d["_id"] != by_mail
        ]
        await review(client, staff, by_mail, status="in-review", honorability="cleared")
        await review(client, staff, by_mail, status="approved")
        await review(client, staff, by_mail, status="approved")  # sent again: nothing more
        await review(client, staff, by_mail, capacity=2)  # no new status: nothing
        await review(client, staff, by_sms, status="declined")

        told = status_mails(mailbox, EMAIL, STATUS_SUBJECT)
        assert [subject for subject, _ in told] == [
            f"{STATUS_SUBJECT} : reçue",
            f"{STATUS_SUBJECT} : en cours d'examen",
            f"{STATUS_SUBJECT} : acceptée",
        ]
        for (_, text), words in zip(
            told,
            ("bien reçue", "en cours d'examen", "acceptée, bienvenue"),
            strict=True,
        ):
            assert f"auprès de l'association Parrains Par Mille est {words}" in text
            assert f"{settings.directory_url}/espace-benevole" in text
        assert mailbox.to(BY_SMS["courriel"]) == []  # they chose SMS

        # the SMS waits for the end of the quiet hours; then it goes, by Brevo's contract
        db = mongo[settings.database]
        held = await db.notifications.find({"recipient_ref": sms_ref}).to_list()
        assert [(h["channel"], h["outcome"]) for h in held] == [("sms", "pending")] * 2
        assert sms.accepted == []
        notifier = lookup(app, MongoNotifier)
        notifier.clock = lambda: datetime.now(UTC) + timedelta(days=1)
        assert await notifier.deliver_due() == 2
        contents = [s["content"] for s in sms.accepted]
        assert [s["recipient"] for s in sms.accepted] == ["33612345678"] * 2
        assert "est bien reçue" in contents[0]
        assert "n'a pas été retenue cette fois" in contents[1]
        assert sms.refused == []

        sent = await db.notifications.find({"recipient_ref": {"$in": [ref, sms_ref]}}).to_list()
        assert {r["outcome"] for r in sent} == {"sent"}
        assert len(sent) == 5
        stored = json.dumps(sent, default=str)
        for value in (EMAIL, BY_SMS["courriel"], "33612345678", PHONE, "Parrains"):
            assert value not in stored  # a reference, never the address or the text


async def test_a_volunteer_matching_proposes_is_told_once_without_the_familys_data(
    settings, senders, matching_settings, dev_issuer
) -> None:
    mailbox, _ = senders
    app = directory_app(settings)
    async with (
        feed(matching_settings.kafka_bootstrap) as world,
        serving(app) as client,
    ):
        staff = {"Authorization": f"Bearer {await dev_issuer.token_for('ppm-nantes')}"}
        volunteer_id, ref = await apply(app, client, APPLICATION)
        await review(client, staff, volunteer_id, status="in-review", honorability="cleared")
        await review(client, staff, volunteer_id, status="approved")

        matching = matching_app(
            world.settings(
                dev_issuer.settings_for(matching_settings),
                volunteers_topic=settings.volunteers_topic,
            )
        )
        async with serving(matching):
            await eventually(
                lambda: lookup(matching, VolunteerViews).get(ref), what="matching knows them"
            )
            family = request(postal_code="44000")
            await world.send(world.requests, family, family.family_ref)

            async def told():
                return bodies(mailbox, EMAIL, PROPOSAL_SUBJECT)

            [text] = await eventually(told, timeout=60, what="the volunteer told of the proposal")
            proposal = await lookup(matching, MatchStore).open_for_request(family.request_id)
            assert proposal.support_key == f"volunteer:{ref}"

        assert "L'association Parrains Par Mille pense à vous" in text
        assert "une famille en Loire-Atlantique : parrainage de proximité." in text
        # no phone given, the e-mail chosen: no call promised
        assert "l'association va prendre contact avec vous pour en parler" in text
        assert "appeler" not in text
        assert f"{settings.directory_url}/espace-benevole" in text
        for family_data in (family.family_ref, family.request_id, "44000", "6-10"):
            assert family_data not in text

        # the proposal delivered again (as after a rebalance), then a new one for the same
        # family's partition: the new one is told, the old one not twice
        [record] = await records(
            settings.kafka_bootstrap,
            MATCHES.name,
            key=family.family_ref.encode(),
            where=lambda r: b"match.proposed" in r.value,
        )
        again = MatchProposed.model_validate(json.loads(record.value)["data"])
        later = again.model_copy(update={"match_id": uuid.uuid4().hex})
        producer = AIOKafkaProducer(bootstrap_servers=settings.kafka_bootstrap, acks="all")
        await producer.start()
        try:
            key = family.family_ref.encode()
            await producer.send_and_wait(MATCHES.name, record.value, key=key)
            event = new_event(later, source="/tests", subject=family.family_ref)
            await producer.send_and_wait(MATCHES.name, event.model_dump_json().encode(), key=key)
        finally:
            await producer.stop()

        async def second():
            return len(bodies(mailbox, EMAIL, PROPOSAL_SUBJECT)) >= 2

        await eventually(second, timeout=60, what="the second proposal told")
        assert len(bodies(mailbox, EMAIL, PROPOSAL_SUBJECT)) == 2


IN_ARABIC = APPLICATION | {"prenom": "Yasmine", "courriel": "yasmine.invente@example.org"}


async def test_a_volunteer_who_applied_in_arabic_is_written_to_in_arabic(
    settings, senders, dev_issuer
) -> None:
    """The public form read in Arabic: the application received, its review and a
    proposal matching sends (the need's name too) reach them in Arabic; the sign-in link
    asked from the space's page in Portuguese comes in Portuguese."""
    mailbox, _ = senders
    app = directory_app(settings)
    async with serving(app) as client:
        staff = {"Authorization": f"Bearer {await dev_issuer.token_for('ppm-nantes')}"}
        page = await client.post("/devenir-benevole?lang=ar", data=IN_ARABIC)
        assert page.status_code == 200, page.text
        [doc] = await lookup(app, VolunteerStore).all()
        assert doc["written_language"] == "ar"
        await review(client, staff, doc["_id"], status="in-review", honorability="cleared")
        await review(client, staff, doc["_id"], status="approved")
        told = status_mails(mailbox, IN_ARABIC["courriel"], "طلب التطوع الخاص بك")
        assert len(told) == 3, told
        for (subject, text), words in zip(
            told, ("تم استلامه", "قيد التحقق", "تم قبوله"), strict=True
        ):
            assert subject == f"طلب التطوع الخاص بك: {words}"  # the status, in their words
            assert text.startswith("مرحباً،")
            assert f"لدى جمعية Parrains Par Mille: {words}" in text

        needed = proposal(doc["volunteer_ref"], uuid.uuid4().hex, departement="44",
                          needs=["parrainage-de-proximite"])  # fmt: skip
        family_ref = needed.family_ref
        event = new_event(needed, source="/tests", subject=family_ref).model_dump_json()
        producer = AIOKafkaProducer(bootstrap_servers=settings.kafka_bootstrap, acks="all")
        await producer.start()
        try:

            async def told_of_it() -> list[str]:  # sent again until directory's consumer
                # has its partitions (one key: told once whatever the resends)
                await producer.send_and_wait(MATCHES.name, event.encode(), key=family_ref.encode())
                return bodies(mailbox, IN_ARABIC["courriel"], "قد تحتاج إليك إحدى العائلات")

            [text] = await eventually(told_of_it, timeout=60, what="the proposal, in Arabic")
        finally:
            await producer.stop()
        assert "تفكر جمعية Parrains Par Mille فيك لمرافقة عائلة في Loire-Atlantique" in text
        assert "كفالة محلية (مرافقة من متطوع قريب)" in text  # the need, in directory's words

        asked = {"courriel": IN_ARABIC["courriel"]}
        link = await client.post("/espace-benevole/lien?lang=pt", data=asked)
        assert link.status_code == 200, link.text

        async def the_link() -> list[str]:
            return bodies(mailbox, IN_ARABIC["courriel"], PT_LINK_SUBJECT)

        [mail] = await eventually(the_link, what="the sign-in link, in Portuguese")
        assert "Para entrar no seu espaço de voluntário, abra esta ligação:" in mail
        # opened on another device (no cookie, a French browser): its page in Portuguese
        [url] = re.findall(r"http://\S+/espace-benevole/connexion\?jeton=\S+", mail)
        assert url.endswith("&lang=pt"), url
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://service"
        ) as elsewhere:
            page = await elsewhere.get(url, headers={"Accept-Language": "fr-FR"})
        assert page.status_code == 200, page.text
        assert "Abrir o meu espaço de voluntário" in page.text


PT_LINK_SUBJECT = "A sua ligação para entrar no seu espaço de voluntário"


async def test_an_application_through_the_api_is_answered_in_the_language_it_names(
    settings, senders
) -> None:
    mailbox, _ = senders
    app = directory_app(settings)
    in_romanian = APPLICATION | {"prenom": "Ana", "courriel": "ana.invente@example.org"}
    async with serving(app) as client:
        await apply(app, client, in_romanian, written_language="ro")
        subject = "Candidatura dumneavoastră de voluntar: primită"
        [text] = bodies(mailbox, in_romanian["courriel"], subject)
        assert "la asociația Parrains Par Mille: primită, asociația o va citi." in text
        body = api_body(in_romanian, written_language="de")
        wrong = await client.post("/api/v1/volunteers", json=body)
        assert wrong.status_code == 422, wrong.text
        assert "written_language" in wrong.text
