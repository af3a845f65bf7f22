"""A parent who asked on `/vos-droits` for their record to be corrected is told the outcome
by e-mail (GDPR art. 12(3)-(4)), in the mail the tests' SMTP server catches: once staff
corrected the record, « votre fiche a été corrigée le … par l'équipe qui la tient », once,
the completion delivered again sending nothing more; refused by the officer, « n'a pas été
retenue » with where to complain. They were told nothing before. Real broker and store."""

import asyncio
import html

from entraide.contracts.events import RectificationCompleted
from entraide.contracts.topics import PRIVACY_ACKS
from entraide.kit import formats
from entraide.kit.broker import consumer_group
from tests.integration.test_public_rights import (  # noqa: F401
    _ask_and_prove,
    _owner_in_process,
    _privacy_dump,
    mail_to,
    mailbox,
    sending,
)
from tests.integration.test_rectification_followed import delivered_again, flagged, of_case
from tests.integration.test_staff_pages import FORM, create, post_form
from tests.privacy_support import case_when, caught_up, closed, network
from tests.support import eventually

SUBJECT = "Réponse à votre demande de rectification"


async def _asked(net, box, dev_issuer, unique: str) -> tuple[str, str, str]:
    """A family staff recorded with its own e-mail asks for a rectification on the public
    form; its case opened and flagged on the record. The e-mail, the family's page, the
    case's id."""
    _owner_in_process(net)
    intake, privacy = net["clients"]["intake"], net["clients"]["privacy"]
    email = f"parent.{unique}@example.org"
    await dev_issuer.sign_in(intake, "ppm-nantes")
    family_url = (await create(intake, **{"parent.email": email})).headers["location"]
    family_url = family_url.split("?")[0]
    proved = await _ask_and_prove(privacy, box, "rectification", email)
    assert proved.status_code == 200, proved.text
    said = "vous recevrez un courriel pour vous dire ce qui a été fait, ou pourquoi rien ne l'a été"
    assert said in html.unescape(proved.text), "the page says the answer will come"
    privacy.headers["Authorization"] = f"Bearer {await dev_issuer.token_for('dpo')}"
    (case,) = (await privacy.get("/api/v1/cases")).json()
    await case_when(privacy, case["case_id"], flagged, timeout=90)
    return email, family_url, case["case_id"]


async def test_a_parent_is_told_once_their_record_was_corrected(
    infra,
    unique,
    intake_settings,
    sending,  # noqa: F811
    mailbox,  # noqa: F811
    dev_issuer,
    mongo,
) -> None:
    staff_intake = dev_issuer.settings_for(intake_settings)
    async with network(infra, unique, staff_intake, sending) as net:
        email, family_url, case_id = await _asked(net, mailbox, dev_issuer, unique)
        intake, privacy = net["clients"]["intake"], net["clients"]["privacy"]
        request_id = family_url.rsplit("/", 1)[1]
        stored = await mongo[intake_settings.database]["families"].find_one({"_id": request_id})
        edit = f"{family_url}/demandes/{stored['requests'][0]['request_id']}/modifier"
        form = FORM | {"parent.email": email, "parent.phone": "06 99 88 77 66"}
        fixed = await post_form(intake, edit, edit, form)
        assert fixed.status_code == 303, fixed.text
        await case_when(privacy, case_id, closed, timeout=60)
        told = await mail_to(mailbox, email, SUBJECT)

        bootstrap = intake_settings.kafka_bootstrap
        done = RectificationCompleted.EVENT_TYPE
        await delivered_again(
            bootstrap, await of_case(bootstrap, PRIVACY_ACKS.name, case_id, done, 1)
        )
        group = f"{consumer_group(sending, 'privacy')}-acks"
        await eventually(
            lambda: caught_up(bootstrap, group, [PRIVACY_ACKS.name]), timeout=60, what="read"
        )
        await asyncio.sleep(3)  # privacy's answers go every second (watchdog_interval_seconds)
        answers = [m for m in mailbox.to(email) if m["Subject"].startswith(SUBJECT)]
        kept = await _privacy_dump(mongo, sending.database)

    today = formats.long_day(formats.today())
    assert (
        f"Votre demande de rectification : votre fiche a été corrigée le {today} "
        "par l'équipe qui la tient." in told
    )
    assert "CNIL" not in told
    assert len(answers) == 1, "told once, the completion delivered again or not"
    assert email not in kept
    assert '"person_contacts": []' in kept, "the contact is forgotten once answered"


async def test_a_parent_is_told_their_rectification_was_refused_and_where_to_complain(
    infra,
    unique,
    intake_settings,
    sending,  # noqa: F811
    mailbox,  # noqa: F811
    dev_issuer,
) -> None:
    staff_intake = dev_issuer.settings_for(intake_settings)
    async with network(infra, unique, staff_intake, sending) as net:
        email, _, case_id = await _asked(net, mailbox, dev_issuer, unique)
        privacy = net["clients"]["privacy"]
        decided = await privacy.post(
            f"/api/v1/cases/{case_id}/decision", json={"decision": "refused"}
        )
        assert decided.status_code < 300, decided.text
        told = await mail_to(mailbox, email, SUBJECT)

    assert "Votre demande de rectification n'a pas été retenue." in told
    assert "Vous pouvez adresser une réclamation à la CNIL : www.cnil.fr/plaintes" in told
