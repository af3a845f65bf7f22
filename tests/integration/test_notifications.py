"""The kit's notifier on the real store, a real SMTP server (aiosmtpd) and a local server
that checks each SMS request against Brevo's contract: sent, recorded without the
address, once per key, held at night, retried through an outage, reported when it fails
for good, and never an address or a text in the logs."""

import logging
import re
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from prometheus_client import CollectorRegistry

from entraide.kit.notifications import Channel, Notification
from entraide.kit.notifications.mongo import MongoNotifier
from entraide.kit.notifications.quiet import PARIS
from entraide.kit.notifications.seal import Seal
from entraide.kit.notifications.senders import BrevoSms, SmtpSender
from entraide.kit.notifications.templates import TEMPLATES
from tests.infra import free_port
from tests.sms_provider import SmsProvider, running_sms_provider
from tests.smtp_server import Mailbox, running_smtp_server

EMAIL, PHONE = "awa.diallo@example.org", "06 12 34 56 78"
CODE = "K7P-4QX"
NOON = datetime(2026, 12, 1, 12, 0, tzinfo=PARIS).astimezone(UTC)
NIGHT = datetime(2026, 12, 1, 22, 15, tzinfo=PARIS).astimezone(UTC)


class Clock:
    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at


def notifier(db, clock: Clock, *, smtp_port: int, sms: SmsProvider | None = None, **kw):
    senders = {
        Channel.EMAIL: SmtpSender(
            host="127.0.0.1",
            port=smtp_port,
            sender="Entraide <ne-pas-repondre@entraide.local>",
            timeout=3,
        )
    }
    if sms is not None:
        senders[Channel.SMS] = BrevoSms(base_url=sms.url, api_key=sms.api_key, sender="Entraide")
    return MongoNotifier(
        db,
        senders,
        seal=Seal("test"),
        clock=clock,
        quick_wait=0.01,
        registry=CollectorRegistry(),
        **kw,
    )


def received(key: str, channel: Channel = Channel.EMAIL, to: str = EMAIL) -> Notification:
    return Notification(
        key=key,
        template="demande-recue",
        channel=channel,
        to=to,
        recipient_ref="fam-ref-1",
        context={"code": CODE, "received_at": NOON},
    )


@pytest.fixture
def db(mongo, unique):
    return mongo[f"test_notifications_{unique}"]


@pytest.fixture
def mailbox():
    with running_smtp_server() as box:
        yield box


@pytest.fixture
def sms():
    with running_sms_provider() as provider:
        yield provider


def logged(caplog) -> list[dict]:
    """Every log record but the test SMTP server's own (aiosmtpd logs what it receives)."""
    return [r.__dict__ for r in caplog.records if not r.name.startswith("mail.log")]


def assert_no_personal_data(doc_or_text) -> None:
    text = str(doc_or_text)
    for secret in (EMAIL, "0612345678", "33612345678", "06 12 34 56 78", CODE):
        assert secret not in text


async def test_an_email_goes_through_smtp_once_and_its_record_keeps_no_address(
    db, mailbox: Mailbox, caplog
) -> None:
    caplog.set_level(logging.INFO)
    sender = notifier(db, Clock(NOON), smtp_port=mailbox.port)
    await sender.notify(received("evt-1:demande-recue"))
    await sender.notify(received("evt-1:demande-recue"))  # the event redelivered

    [mail] = mailbox.to(EMAIL)
    assert mail["Subject"] == "Votre demande d'aide est bien reçue"
    body = mail.get_content()
    assert f"Votre code de suivi : {CODE}" in body
    assert "le 1er décembre 2026" in body
    record = await db.notifications.find_one({"_id": "evt-1:demande-recue"})
    assert record["outcome"] == "sent"
    assert record["attempts"] == 1
    assert record["recipient_ref"] == "fam-ref-1"
    assert record["template"] == "demande-recue"
    assert record["sent_at"] == NOON
    assert "sealed" not in record
    assert await db.notifications.count_documents({}) == 1
    assert_no_personal_data(record)
    assert_no_personal_data(logged(caplog))


async def test_an_sms_follows_brevos_contract(
    db, mailbox: Mailbox, sms: SmsProvider, caplog
) -> None:
    caplog.set_level(logging.INFO)
    sender = notifier(db, Clock(NOON), smtp_port=mailbox.port, sms=sms)
    await sender.notify(received("evt-2:demande-recue", Channel.SMS, PHONE))
    await sender.notify(received("evt-2:demande-recue", Channel.SMS, PHONE))

    assert sms.refused == []
    [body] = sms.accepted
    assert body["recipient"] == "33612345678"
    assert body["type"] == "transactional"
    assert body["sender"] == "Entraide"
    assert CODE in body["content"]
    assert body["unicodeEnabled"] is True  # « reçue »
    record = await db.notifications.find_one({"_id": "evt-2:demande-recue"})
    assert record["outcome"] == "sent"
    assert record["channel"] == "sms"
    assert_no_personal_data(record)
    assert_no_personal_data(logged(caplog))


async def test_quiet_hours_hold_an_sms_until_the_morning(
    db, mailbox: Mailbox, sms: SmsProvider
) -> None:
    clock = Clock(NIGHT)
    sender = notifier(db, clock, smtp_port=mailbox.port, sms=sms)
    await sender.notify(received("evt-3:demande-recue", Channel.SMS, PHONE))
    await sender.notify(received("evt-3:mail", Channel.EMAIL, EMAIL))  # e-mail does not wait

    assert sms.accepted == []
    assert len(mailbox.to(EMAIL)) == 1
    held = await db.notifications.find_one({"_id": "evt-3:demande-recue"})
    morning = datetime(2026, 12, 2, 8, 30, tzinfo=PARIS).astimezone(UTC)
    assert held["outcome"] == "pending"
    assert held["due_at"] == morning
    assert_no_personal_data(held)  # the number waits sealed
    clock.at = morning - timedelta(minutes=1)
    assert await sender.deliver_due() == 0
    assert sms.accepted == []
    clock.at = morning
    assert await sender.deliver_due() == 1
    assert len(sms.accepted) == 1
    assert (await db.notifications.find_one({"_id": "evt-3:demande-recue"}))["outcome"] == "sent"


async def test_a_familys_messages_go_in_its_language_even_when_held_for_the_night(
    db, mailbox: Mailbox, sms: SmsProvider
) -> None:
    """The language is kept in the record: an SMS held until the morning is written then,
    in the family's language, not in French."""
    clock = Clock(NIGHT)
    sender = notifier(db, clock, smtp_port=mailbox.port, sms=sms)
    await sender.notify(replace(received("evt-6:sms", Channel.SMS, PHONE), language="ar"))
    await sender.notify(replace(received("evt-6:mail"), language="pt"))
    [mail] = mailbox.to(EMAIL)
    assert mail["Subject"] == "Recebemos o seu pedido de ajuda"
    assert f"O seu código de acompanhamento: {CODE}" in mail.get_content()
    assert (await db.notifications.find_one({"_id": "evt-6:sms"}))["language"] == "ar"
    clock.at = datetime(2026, 12, 2, 8, 30, tzinfo=PARIS).astimezone(UTC)
    assert await sender.deliver_due() == 1
    [body] = sms.accepted
    assert (
        body["content"]
        == f"Entraide: تم استلام طلب المساعدة. رمز المتابعة: {CODE}. سنتواصل معك قريباً."
    )
    assert body["unicodeEnabled"] is True


async def test_an_smtp_outage_is_retried_with_backoff_then_the_mail_goes(db, caplog) -> None:
    caplog.set_level(logging.INFO)
    port, clock = free_port(), Clock(NOON)
    sender = notifier(db, clock, smtp_port=port, backoff=timedelta(seconds=30))
    await sender.notify(received("evt-4:demande-recue"))  # no server on that port yet

    waiting = await db.notifications.find_one({"_id": "evt-4:demande-recue"})
    assert waiting["outcome"] == "pending"
    assert waiting["attempts"] == 1
    assert waiting["due_at"] == NOON + timedelta(seconds=30)
    assert "unreachable" in waiting["reason"]
    clock.at = NOON + timedelta(seconds=31)
    assert await sender.deliver_due() == 1  # still down: the wait doubles
    waiting = await db.notifications.find_one({"_id": "evt-4:demande-recue"})
    assert waiting["attempts"] == 2
    assert waiting["due_at"] == clock.at + timedelta(seconds=60)

    with running_smtp_server(port) as mailbox:
        mailbox.refuse_next = 1  # back, but busy once: a 451, tried again at once
        clock.at += timedelta(seconds=61)
        assert await sender.deliver_due() == 1
        assert len(mailbox.to(EMAIL)) == 1
    done = await db.notifications.find_one({"_id": "evt-4:demande-recue"})
    assert done["outcome"] == "sent"
    assert done["attempts"] == 3
    assert "sealed" not in done
    assert_no_personal_data(logged(caplog))


async def test_a_send_that_keeps_failing_is_reported_as_failed(
    db, mailbox: Mailbox, sms, caplog
) -> None:
    clock = Clock(NOON)
    sender = notifier(db, clock, smtp_port=mailbox.port, sms=sms, attempts=2)
    sms.fail_next = 100  # the provider down for good
    await sender.notify(received("evt-5:demande-recue", Channel.SMS, PHONE))
    clock.at += timedelta(minutes=5)
    await sender.deliver_due()

    failed = await db.notifications.find_one({"_id": "evt-5:demande-recue"})
    assert failed["outcome"] == "failed"
    assert failed["attempts"] == 2
    assert "503" in failed["reason"]
    assert "sealed" not in failed
    assert any(
        r.levelno == logging.WARNING and "failed for good" in r.getMessage() for r in caplog.records
    )
    # a refused request (a wrong key) is not retried
    sms.fail_next, sms.api_key = 0, "another-key"
    await sender.notify(received("evt-6:demande-recue", Channel.SMS, PHONE))
    refused = await db.notifications.find_one({"_id": "evt-6:demande-recue"})
    assert refused["outcome"] == "failed"
    assert refused["attempts"] == 1
    assert "401" in refused["reason"]


class BrokenSender:
    """A sender failing in a way the notifier does not know (a bug, a library's own error),
    its message naming the address as such errors may."""

    async def send(self, to: str, message: object) -> None:
        raise RuntimeError(f"unexpected answer for {to}")


async def test_an_unexpected_error_is_tried_again_then_given_up_and_others_still_go(
    db, mailbox: Mailbox, caplog
) -> None:
    """Not retried for ever, nor blocking the pass: counted as a try, then failed after the
    last one; its text (which may name the address) is neither kept nor logged."""
    caplog.set_level(logging.INFO)
    clock = Clock(NOON)
    sender = notifier(db, clock, smtp_port=mailbox.port, attempts=2)
    sender.senders[Channel.SMS] = BrokenSender()  # type: ignore[assignment]
    await sender.notify(received("evt-9:demande-recue", Channel.SMS, PHONE))
    first = await db.notifications.find_one({"_id": "evt-9:demande-recue"})
    assert first["outcome"] == "pending"
    assert first["attempts"] == 1
    assert first["reason"] == "RuntimeError"

    mailbox.refuse_next = 100  # another, by e-mail, the server busy: waiting too
    clock.at = NOON + timedelta(seconds=1)
    await sender.notify(received("evt-10:demande-recue"))
    mailbox.refuse_next = 0
    clock.at = NOON + timedelta(hours=1)
    assert await sender.deliver_due() == 2  # the broken one first, then the mail
    failed = await db.notifications.find_one({"_id": "evt-9:demande-recue"})
    assert failed["outcome"] == "failed"
    assert failed["attempts"] == 2
    assert "sealed" not in failed
    assert len(mailbox.to(EMAIL)) == 1
    assert_no_personal_data(failed)
    assert_no_personal_data(logged(caplog))


async def test_an_erased_subjects_held_sms_is_never_sent(db, mailbox: Mailbox, sms) -> None:
    clock = Clock(NIGHT)
    sender = notifier(db, clock, smtp_port=mailbox.port, sms=sms)
    await sender.notify(received("evt-7:demande-recue", Channel.SMS, PHONE))
    await sender.notify(received("evt-7:mail", Channel.EMAIL, EMAIL))
    assert await sender.forget("fam-ref-1") == 2  # the family erased overnight
    clock.at = NIGHT + timedelta(hours=12)
    assert await sender.deliver_due() == 0
    assert sms.accepted == []
    assert await db.notifications.count_documents({}) == 0


async def test_an_sms_without_a_provider_fails_saying_so(db, mailbox: Mailbox) -> None:
    sender = notifier(db, Clock(NOON), smtp_port=mailbox.port)  # no SMS provider set
    await sender.notify(received("evt-8:demande-recue", Channel.SMS, PHONE))
    record = await db.notifications.find_one({"_id": "evt-8:demande-recue"})
    assert record["outcome"] == "failed"
    assert record["reason"] == "PermanentSendError: no sms sender configured"
    assert "sealed" not in record


EVERY_KIND = {
    "code": CODE,
    "received_at": NOON,
    "association": "AFEV",
    "erase_on": date(2026, 12, 31),
    "status": "accepted",
    "link": "http://127.0.0.1:8010/espace",
    "expires_at": NOON + timedelta(minutes=15),
    "on": date(2026, 12, 1),
    "proposals": 2,
    "followups": 1,
    "alerts": 1,
    "offer": "Parrainage de proximité",
    "confirmed_on": date(2026, 5, 4),
    "needs": ["parrainage de proximité"],
    "departement": "44",
    "space_url": "http://127.0.0.1:8010/espace-benevole",
    "by_phone": True,
    "kind": "rectification",  # droits-reponse: a rectification done
    "outcome": "done",
    "waiting": 3,  # demandes-a-confirmer: requests waiting, the oldest since
    "since": NOON - timedelta(days=6),
    "reason": "out-of-reach",  # demande-non-retenue: why her own request was not kept
}


async def test_every_kind_goes_through_the_smtp_server_in_french(db, mailbox: Mailbox) -> None:
    sender = notifier(db, Clock(NOON), smtp_port=mailbox.port)
    for n, template in enumerate(TEMPLATES):
        to = f"personne{n}@example.org"
        await sender.notify(
            Notification(
                key=f"every:{template}",
                template=template,
                channel=Channel.EMAIL,
                to=to,
                recipient_ref=f"ref-{n}",
                context=EVERY_KIND,
            )
        )
        [mail] = mailbox.to(to)
        assert mail["Subject"]
        body = mail.get_content().replace("\r\n", "\n")
        assert body.startswith("Bonjour,")
        assert "Entraide" in body.rsplit("\n\n", 1)[-1]  # signed
        assert not re.search(r"\d{4}-\d{2}-\d{2}", body)  # dates the French way
    assert len(mailbox.messages) == len(TEMPLATES)
    assert await db.notifications.count_documents({"outcome": "sent"}) == len(TEMPLATES)
