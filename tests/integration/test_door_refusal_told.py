"""A parent's own request refused, on the real store and a real SMTP server: out of the
network's reach, she receives one e-mail in French, by the channel she chose, with where to
turn, her code and the status page's link, however often staff refuse it again; not
reached, the door's link to ask again; refused as a joke or an abuse, nothing goes. The
notifications record keeps no address; once she is told, her key is destroyed and the
sealed copy emptied. The notifier failing at the refusal, her details are kept and the
owed-work pass tells her, then destroys them."""

import html
import json
import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from entraide.intake.app import create_app as intake_app
from entraide.intake.domain.self_requests import code_hash
from entraide.intake.usecases.self_request_queue import ConfirmationQueue
from entraide.intake.usecases.self_requests import FamilyDoor
from entraide.kit.deps import lookup
from entraide.kit.notifications import Notification, Notifier
from tests.integration.test_family_door import code_of, form, mailing, status_of
from tests.smtp_server import running_smtp_server
from tests.support import eventually, serving

SUBJECT = "Votre demande d'aide : le réseau n'est pas encore près de chez vous"
NOT_REACHED = "Votre demande d'aide : nous n'avons pas réussi à vous joindre"
STAFF_READ = (
    "Hors du territoire du réseau — la famille est prévenue, avec où s'adresser",
    "Personne injoignable ou coordonnées fausses — la famille est prévenue",
    "Pas une demande d'aide (essai, message sans objet, abus) — aucun message envoyé",
)


@pytest.fixture
def mailbox():
    with running_smtp_server() as box:
        yield box


async def asked_then_refused(app, intake, dev_issuer, reason: str) -> tuple[str, str, int]:
    """A parent asks by e-mail only (her own address and phone: the door's limit per
    contact); staff refuse her request for `reason`, then again: her address, her code,
    the second refusal's status."""
    email = f"parent.{uuid.uuid4().hex[:8]}@example.org"
    phone = "06 " + " ".join(f"{n % 100:02d}" for n in uuid.uuid4().bytes[:4])
    mine = {"parent.email": email, "parent.phone": phone, "contact_preferences": ["email"]}
    sent = await intake.post("/demander-aide", data=form(lookup(app, FamilyDoor), **mine))
    assert sent.status_code == 200, sent.text
    code = code_of(sent.text)
    await dev_issuer.sign_in(intake, "ppm-nantes")
    queue = (await intake.get("/a-confirmer")).text
    for said in STAFF_READ:  # what the family will be told, read before choosing
        assert said in html.unescape(queue)
    [self_id] = set(re.findall(r'action="/a-confirmer/([0-9a-f]+)"', queue))
    csrf = re.search(r'name="csrf" value="([^"]+)"', queue).group(1)
    refusal = {"csrf": csrf, "action": "refuser", "reason": reason}
    done = await intake.post(f"/a-confirmer/{self_id}", data=refusal)
    assert done.status_code == 303, done.text
    again = await intake.post(f"/a-confirmer/{self_id}", data=refusal)  # a second click
    intake.cookies.clear()
    return email, code, again.status_code


class RefusalsFailing:
    """The notifier's store away for the refusal's message only (her « demande reçue »
    went before), while `failing`."""

    def __init__(self, real: Notifier) -> None:
        self.real, self.failing = real, True

    async def notify(self, notification: Notification) -> None:
        if self.failing and notification.template == "demande-non-retenue":
            raise ConnectionError("the notifications store went away")
        await self.real.notify(notification)


async def kept(app, mongo, settings, code: str) -> tuple[bool, dict]:
    """Whether the refused request's key still exists, and its document."""
    doc = await mongo[settings.database]["self_requests"].find_one({"code_hash": code_hash(code)})
    return await lookup(app, FamilyDoor).keys.existing(doc["family_id"]) is not None, doc


async def test_a_parent_out_of_the_networks_reach_is_told_once_where_to_turn(
    intake_settings, dev_issuer, mongo, mailbox
) -> None:
    app = intake_app(mailing(intake_settings, mailbox))
    async with serving(app) as intake:
        email, code, again = await asked_then_refused(app, intake, dev_issuer, "out-of-reach")
        assert again == 409  # already decided: nothing more

        async def told():
            return [m for m in mailbox.to(email) if m["Subject"] == SUBJECT]

        [mail] = await eventually(told, what="the e-mail telling her where to turn")
        text = mail.get_content()
        assert text.startswith("Bonjour,")
        assert "Le réseau Entraide n'agit pas encore là où vous habitez" in text
        assert "le CCAS de votre mairie" in text
        assert "le 119 si un enfant est en danger" in text
        assert f"Votre code de suivi reste {code}" in text
        assert f"{intake_settings.intake_url}/suivi" in text
        assert await status_of(intake, code) == "Votre demande n'a pas pu être retenue"
        key, doc = await kept(app, mongo, intake_settings, code)
        assert not key, "told: her key destroyed"
        assert (doc["sealed"], "telling_until" in doc) == ({}, False)
    db = mongo[intake_settings.database]
    told_her = await db["notifications"].find({"template": "demande-non-retenue"}).to_list()
    assert [(r["channel"], r["outcome"]) for r in told_her] == [("email", "sent")]
    assert email not in json.dumps(told_her, default=str)
    assert len([m for m in mailbox.to(email) if m["Subject"] == SUBJECT]) == 1


async def test_the_notifier_failing_at_the_refusal_she_is_told_by_the_owed_work_pass(
    intake_settings, dev_issuer, mongo, mailbox
) -> None:
    app = intake_app(mailing(intake_settings, mailbox))
    async with serving(app) as intake:
        door = lookup(app, FamilyDoor)
        failing = RefusalsFailing(door.notifier)  # type: ignore[arg-type]
        door.notifier = failing
        email, code, _ = await asked_then_refused(app, intake, dev_issuer, "unreachable")
        assert await status_of(intake, code) == "Votre demande n'a pas pu être retenue"
        key, doc = await kept(app, mongo, intake_settings, code)
        assert key, "her details kept while her message is owed"
        assert doc["sealed"]
        assert doc["telling_until"] - doc["decided_at"] == timedelta(days=1)

        failing.failing = False  # the store back; the scheduler's pass (every minute)
        await lookup(app, ConfirmationQueue).settle_owed(datetime.now(UTC))

        async def told():
            return [m for m in mailbox.to(email) if m["Subject"] == NOT_REACHED]

        [mail] = await eventually(told, what="the e-mail the pass owed her")
        assert f"Votre code de suivi reste {code}" in mail.get_content()
        key, doc = await kept(app, mongo, intake_settings, code)
        assert not key, "then her key is destroyed"
        assert (doc["sealed"], "telling_until" in doc) == ({}, False)
        await lookup(app, ConfirmationQueue).settle_owed(datetime.now(UTC))  # a second pass
    assert len([m for m in mailbox.to(email) if m["Subject"] == NOT_REACHED]) == 1


async def test_a_parent_not_reached_is_told_she_may_ask_again_on_the_door(
    intake_settings, dev_issuer, mailbox
) -> None:
    app = intake_app(mailing(intake_settings, mailbox))
    async with serving(app) as intake:
        email, code, _ = await asked_then_refused(app, intake, dev_issuer, "unreachable")

        async def told():
            return [m for m in mailbox.to(email) if m["Subject"] == NOT_REACHED]

        [mail] = await eventually(told, what="the e-mail saying she was not reached")
    text = mail.get_content()
    assert "a essayé de vous joindre" in text
    assert f"sur {intake_settings.intake_url}/demander-aide." in text  # the door, to ask again
    assert f"Votre code de suivi reste {code}" in text


async def test_a_request_refused_as_a_joke_or_an_abuse_sends_nothing(
    intake_settings, dev_issuer, mongo, mailbox
) -> None:
    app = intake_app(mailing(intake_settings, mailbox))
    async with serving(app) as intake:
        email, _, _ = await asked_then_refused(app, intake, dev_issuer, "not-a-request")
    db = mongo[intake_settings.database]
    assert await db["notifications"].count_documents({"template": "demande-non-retenue"}) == 0
    received = "Votre demande d'aide est bien reçue"
    assert all(m["Subject"] == received for m in mailbox.to(email))
