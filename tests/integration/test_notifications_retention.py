"""Retention warnings really sent, across privacy and intake on the real broker and store:
privacy's sweep finds two families a month from erasure and asks the owner
(`fr.entraide.privacy.notice-due.v1` on its commands topic; privacy holds no contact);
intake opens each family's identity and sends the warning by its chosen channel through
the kit's notifier: an e-mail through a real SMTP server (aiosmtpd), an SMS to a local
server that checks Brevo's contract (held until the morning during quiet hours). A notice
delivered again sends nothing more; no address reaches a log."""

import logging
from datetime import UTC, datetime, timedelta

import pytest
from aiokafka import AIOKafkaProducer
from pydantic import SecretStr

from entraide.contracts import new_event
from entraide.contracts.envelope import CONTENT_TYPE
from entraide.contracts.events import RetentionNoticeDue
from entraide.contracts.topics import MATCHES, PRIVACY_COMMANDS, REQUESTS, VOLUNTEERS
from entraide.directory.adapters.volunteers.store import VolunteerStore
from entraide.directory.app import create_app as create_directory
from entraide.intake.settings import IntakeSettings
from entraide.kit.deps import lookup
from entraide.kit.formats import day, paris
from entraide.kit.notifications import Channel
from entraide.kit.notifications.quiet import QuietHours
from entraide.privacy.app import create_app as create_privacy
from entraide.privacy.domain.retention import add_years
from entraide.privacy.entrypoints.consumers.contacts import contacts_group
from tests.integration.test_directory_offers import directory_settings  # noqa: F401
from tests.integration.test_volunteer_to_family import APPLICATION, review
from tests.privacy_support import REGISTRY_TIMEOUT, Clock, caught_up, network
from tests.sms_provider import running_sms_provider
from tests.smtp_server import running_smtp_server
from tests.support import eventually, request_body, serving

EMAIL, PHONE = "awa.retention@example.org", "06 98 76 54 32"
PARENT_A = {"first_name": "Awa", "last_name": "Conservation", "email": EMAIL}
PARENT_B = {"first_name": "Binta", "last_name": "Conservation", "phone": PHONE}


def now(value):
    """An async check for `eventually` from a plain one (the test servers' lists)."""

    async def check():
        return value()

    return check


@pytest.fixture
def senders():
    """The real SMTP server and the SMS provider (named in intake's settings: `notified`)."""
    with running_smtp_server() as mailbox, running_sms_provider() as sms:
        yield mailbox, sms


def notified(settings: IntakeSettings, senders) -> IntakeSettings:
    """Intake's settings, its notifier sending to the test's SMTP server and SMS provider."""
    mailbox, sms = senders
    update = {"smtp_port": mailbox.port, "sms_url": sms.url, "sms_api_key": SecretStr(sms.api_key)}
    return settings.model_copy(update=update)


async def test_privacys_warnings_reach_families_by_their_chosen_channel(
    infra,
    unique,
    intake_settings,
    privacy_settings,
    staff_bearer,
    mongo,
    dev_issuer,
    senders,
    caplog,
) -> None:
    caplog.set_level(logging.INFO)
    mailbox, sms = senders
    t0 = datetime.now(UTC)
    clock = Clock(add_years(t0, 3) - timedelta(days=20) - datetime.now(UTC))  # 20 days left
    privacy_db, intake_db = mongo[privacy_settings.database], mongo[intake_settings.database]
    dpo = {"Authorization": f"Bearer {await dev_issuer.token_for('dpo')}"}
    intake_settings = notified(intake_settings, senders)
    async with network(infra, unique, intake_settings, privacy_settings, clock=clock) as net:
        intake, privacy = net["clients"]["intake"], net["clients"]["privacy"]
        refs = []
        for parent, chosen in ((PARENT_A, ["email"]), (PARENT_B, ["sms"])):
            body = request_body() | {"parent": parent, "contact_preferences": chosen}
            created = await intake.post(
                "/api/v1/requests", json=body | {"confirm_new": True}, headers=staff_bearer
            )
            assert created.status_code in (200, 201), created.text
            family = await intake_db["families"].find_one(
                {"requests.request_id": created.json()["request_id"]}
            )
            refs.append(family["family_ref"])

        async def registered() -> bool:
            found = await privacy_db["subjects"].count_documents({"_id": {"$in": refs}})
            return found == 2

        await eventually(registered, timeout=REGISTRY_TIMEOUT, what="both families registered")
        group = contacts_group(privacy_settings, "privacy")  # the registry's
        await eventually(
            lambda: caught_up(
                infra.kafka_bootstrap, group, [REQUESTS.name, VOLUNTEERS.name, MATCHES.name]
            ),
            timeout=REGISTRY_TIMEOUT,
            what="privacy read the shared topics",
        )
        await privacy_db["subjects"].delete_many({"_id": {"$nin": refs}})  # other tests'

        privacy.headers.update(dpo)
        ran = (await privacy.post("/api/v1/retention/sweep", json={"dry_run": False})).json()
        assert ran["warnings"] == {"30d": 2}
        notices = await privacy_db["notices"].find({}).to_list()
        erase_on = paris(notices[0]["expires_at"]).date()

        # the e-mail: through the SMTP server, in French, the date the French way
        await eventually(now(lambda: mailbox.to(EMAIL)), timeout=120, what="the e-mail warning")
        [mail] = mailbox.to(EMAIL)
        assert mail["Subject"] == f"Vos informations seront effacées le {day(erase_on)}"
        assert "dans un mois" in mail.get_content()
        # the SMS: Brevo's contract, or held by the quiet hours
        await eventually(
            lambda: intake_db["notifications"].find_one({"recipient_ref": refs[1]}),
            timeout=120,
            what="the SMS recorded",
        )
        sms_record = await intake_db["notifications"].find_one({"recipient_ref": refs[1]})
        assert sms_record["channel"] == Channel.SMS
        assert sms_record["template"] == "conservation-mois"
        if QuietHours().holds(datetime.now(UTC)):
            assert sms_record["outcome"] == "pending"
            assert sms.accepted == []
        else:
            await eventually(now(lambda: sms.accepted), timeout=60, what="the SMS sent")
            [text] = sms.accepted
            assert text["recipient"] == "33698765432"
            assert day(erase_on) in text["content"]
            assert sms.refused == []

        # privacy's notice delivered again, then a week's notice after it (same key, same
        # partition: handled in order): the week's mail comes, the month's not again
        producer = AIOKafkaProducer(bootstrap_servers=infra.kafka_bootstrap)
        await producer.start()
        try:
            original = next(n for n in notices if n["subject_ref"] == refs[0])
            for notice_id, warning in ((original["_id"], "30d"), (f"{unique}week01", "7d")):
                due = RetentionNoticeDue(
                    notice_id=notice_id, subject_ref=refs[0], warning=warning, erase_on=erase_on
                )
                event = new_event(due, source="/entraide/privacy", subject=refs[0])
                await producer.send_and_wait(
                    PRIVACY_COMMANDS.name,
                    event.model_dump_json().encode(),
                    key=refs[0].encode(),
                    headers=[("content-type", CONTENT_TYPE.encode())],
                )
        finally:
            await producer.stop()
        await eventually(
            now(lambda: len(mailbox.to(EMAIL)) == 2), timeout=120, what="the week's mail"
        )
        subjects = [m["Subject"] for m in mailbox.to(EMAIL)]
        assert subjects[1] == "Dans une semaine, vos informations seront effacées"
        assert await intake_db["notifications"].count_documents({"recipient_ref": refs[0]}) == 2

    sent = await intake_db["notifications"].find_one(
        {"recipient_ref": refs[0], "template": "conservation-mois"}
    )
    assert sent["outcome"] == "sent"
    assert "sealed" not in sent
    logged = str([r.__dict__ for r in caplog.records if not r.name.startswith("mail.log")])
    for secret in (EMAIL, PHONE, "0698765432", "33698765432"):
        assert secret not in logged


async def test_privacys_warning_reaches_a_volunteer_through_directory(
    infra,
    directory_settings,  # noqa: F811
    privacy_settings,
    mongo,
    dev_issuer,
    senders,
) -> None:
    """A volunteer is a subject too: privacy's sweep finds one a month from erasure and
    asks the owner; directory opens their identity and e-mails the warning, with the day
    and the link to their space (updating their availability there is a contact)."""
    mailbox, _ = senders
    t0 = datetime.now(UTC)
    clock = Clock(add_years(t0, 3) - timedelta(days=20) - datetime.now(UTC))  # 20 days left
    privacy_db = mongo[privacy_settings.database]
    shared = {"volunteers_topic": VOLUNTEERS.name, "smtp_port": mailbox.port}  # privacy reads it
    quick = {"graceful_timeout_seconds": 2.0}
    async with (
        serving(create_privacy(privacy_settings.model_copy(update=quick), clock=clock)) as privacy,
        serving(app := create_directory(directory_settings.model_copy(update=shared))) as directory,
    ):
        assert (await directory.post("/devenir-benevole", data=APPLICATION)).status_code == 200
        [stored] = await lookup(app, VolunteerStore).all()
        ref = stored["volunteer_ref"]
        await dev_issuer.sign_in(directory, "ppm-nantes")
        await review(directory, stored["_id"], statut="in-review", honorabilite="cleared")
        await review(directory, stored["_id"], statut="approved")  # announced: registered

        async def registered() -> bool:
            return await privacy_db["subjects"].count_documents({"_id": ref}) == 1

        await eventually(registered, timeout=REGISTRY_TIMEOUT, what="the volunteer registered")
        await privacy_db["subjects"].delete_many({"_id": {"$ne": ref}})  # other tests'
        privacy.headers["Authorization"] = f"Bearer {await dev_issuer.token_for('dpo')}"
        ran = (await privacy.post("/api/v1/retention/sweep", json={"dry_run": False})).json()
        assert ran["warnings"] == {"30d": 1}
        [notice] = await privacy_db["notices"].find({}).to_list()
        erase_on = paris(notice["expires_at"]).date()

        subject = f"Vos informations de bénévole seront effacées le {day(erase_on)}"

        def warned() -> list:
            return [m for m in mailbox.to(APPLICATION["courriel"]) if m["Subject"] == subject]

        await eventually(now(warned), timeout=120, what="the volunteer's warning")
        [mail] = warned()
        assert "/espace-benevole" in mail.get_content()
