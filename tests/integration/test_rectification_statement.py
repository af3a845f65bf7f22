"""A rectification asked on the public form says what is wrong and what to write instead
(GDPR art. 16, « a supplementary statement »). Before, the form asked only which right: the
officer and the record's staff saw that a correction was asked, never which one, and had to
call the person. The statement is sealed by privacy (never in clear in its store, nor on any
topic), shown to the officer on the open case, read by the record's owner (intake) through
privacy's internal API and by no other service, shown beside the flag on the family's
record (intake keeps none of it), and forgotten once the record is corrected.
A statement too long is refused beside the field, the text kept. Privacy and intake
running, real broker and store."""

import html
import json
import re

import httpx
from aiokafka import AIOKafkaConsumer
from bson import json_util

from entraide.intake.usecases.self_requests import FamilyDoor
from entraide.kit.deps import lookup
from entraide.kit.keyvault_client import dev_secret, service_token
from entraide.kit.rectification_statements import PrivacyStatements
from entraide.privacy.app import create_app as privacy_app
from entraide.privacy.usecases.public_requests import PublicRights
from tests.integration.test_family_door import form as door_form
from tests.integration.test_public_rights import code_in, mailbox, sending
from tests.integration.test_rectification_followed import privacy_and_intake
from tests.integration.test_staff_pages import FORM, create, post_form
from tests.page_text import text_of
from tests.privacy_support import case_when, closed
from tests.support import eventually, scan, serving

__all__ = ["mailbox", "sending"]  # the fixtures used here
SAID = "Mon nom s'écrit Dupond, pas Dupont ({marker}).\nMon fils Léo est né en 2019."
STATEMENT = 'id="ce-qui-est-inexact"'


async def test_a_statement_too_long_is_said_beside_the_field_and_kept(privacy_settings) -> None:
    long = "é" * 1001
    form = {"droit": "rectification", "qui": "family", "contact": "06 12 34 56 78"}
    async with serving(privacy_app(privacy_settings)) as privacy:
        empty = await privacy.get("/vos-droits")
        refused = await privacy.post("/vos-droits", data=form | {"a_corriger": long})

    assert "Ce qui est inexact ou incomplet, et ce qu'il faut écrire à la place" in html.unescape(
        empty.text
    )
    assert refused.status_code == 422
    assert f">{long}</textarea>" in refused.text, "the text kept, to shorten it"
    error = re.search(r'<p id="a_corriger-erreur"[^>]*>(.*?)</p>', refused.text, re.S)
    assert error is not None, "the error beside the field"
    said = text_of(error.group(1)).replace("\u202f", " ").replace("\xa0", " ")
    assert "Écrivez 1 000 caractères au plus : votre texte en a 1 001." in said


def _as(service: str) -> dict[str, str]:
    """The headers of a call from this service (its token, signed with its dev secret)."""
    return {"Authorization": f"Bearer {service_token(service, dev_secret(service))}"}


async def _topics_holding(bootstrap: str, marker: bytes) -> list[str]:
    """The topics whose records hold these bytes (value, key or headers)."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=None)
    await consumer.start()
    try:
        topics = await consumer.topics()
    finally:
        await consumer.stop()

    def holds(r) -> bool:
        raw = (r.value or b"") + (r.key or b"") + b"".join(v for _, v in r.headers or [])
        return marker in raw

    return [t for t in sorted(topics) if await scan(bootstrap, t, holds, timeout=5)]


async def test_the_statement_reaches_the_officer_sealed_and_is_forgotten_once_corrected(
    intake_settings, sending, mailbox, dev_issuer, mongo, unique
) -> None:
    email = f"amina.{unique}@example.org"
    said = SAID.format(marker=f"ref-{unique}")
    officer, owner = privacy_and_intake(intake_settings, sending, dev_issuer)
    async with serving(officer) as privacy, serving(owner) as intake:
        lookup(officer, PublicRights).owners.transports["intake"] = httpx.ASGITransport(owner)
        lookup(owner, PrivacyStatements).transport = httpx.ASGITransport(officer)
        await dev_issuer.sign_in(intake, "ppm-nantes")
        family_url = (await create(intake, **{"parent.email": email})).headers["location"]
        family_url = family_url.split("?")[0]
        form = {"droit": "rectification", "qui": "family", "contact": email, "a_corriger": said}
        asked = await privacy.post("/vos-droits", data=form)
        assert asked.status_code == 303, asked.text
        code = await code_in(mailbox, email, 0)
        proved = await privacy.post(asked.headers["location"], data={"code": code})
        assert proved.status_code == 200, proved.text
        privacy.headers["Authorization"] = f"Bearer {await dev_issuer.token_for('dpo')}"
        (case,) = (await privacy.get("/api/v1/cases")).json()
        case_id = case["case_id"]
        await case_when(privacy, case_id, lambda c: "intake" in c["acks"], timeout=90)
        await dev_issuer.sign_in(privacy, "dpo")
        read = (await privacy.get(f"/dossiers/{case_id}")).text
        stored = json.dumps(
            {n: await officer.state.db[n].find().to_list() for n in ("person_statements", "cases")},
            default=json_util.default,
        )
        leaked = await _topics_holding(intake_settings.kafka_bootstrap, f"ref-{unique}".encode())
        statement_url = f"/internal/v1/rectifications/{case_id}/statement"
        as_owner = await privacy.get(statement_url, headers=_as("intake"))
        not_its_own = await privacy.get(statement_url, headers=_as("directory"))
        record = html.unescape((await intake.get(family_url)).text)

        family = await mongo[intake_settings.database]["families"].find_one({})
        edit = f"{family_url}/demandes/{family['requests'][0]['request_id']}/modifier"
        fixed = await post_form(
            intake, edit, edit, FORM | {"parent.email": email, "parent.last_name": "Dupond"}
        )
        assert fixed.status_code == 303, fixed.text
        await case_when(privacy, case_id, closed, timeout=60)

        async def forgotten() -> bool:
            return await officer.state.db["person_statements"].count_documents({}) == 0

        await eventually(forgotten, timeout=30, what="the statement forgotten")
        after = (await privacy.get(f"/dossiers/{case_id}")).text
        owner_after = await privacy.get(statement_url, headers=_as("intake"))
        record_after = (await intake.get(family_url)).text

    assert STATEMENT in read
    shown = html.unescape(read)
    assert "Mon nom s'écrit Dupond, pas Dupont" in shown
    assert "<br>Mon fils Léo est né en 2019." in shown, "its lines kept"
    assert f"ref-{unique}" not in stored, "sealed in privacy's store"
    assert leaked == [], "no topic holds it in clear"
    assert STATEMENT not in after
    assert (as_owner.status_code, as_owner.json()) == (200, {"statement": said})
    assert as_owner.headers["cache-control"] == "no-store"
    assert not_its_own.status_code == 403, "directory holds no family's record"
    assert owner_after.json() == {"statement": None}, "forgotten for the owner too"
    flag = record.split('id="rectification-demandee"', 1)[1].split("</div>", 1)[0]
    assert "Ce que la personne a écrit :" in flag, "beside the flag, on the record"
    assert f"Dupont (ref-{unique}).<br>Mon fils Léo est né en 2019." in flag
    assert f"ref-{unique}" not in record_after


async def test_the_words_are_on_the_waiting_door_requests_card_to_confirm(
    intake_settings, sending, mailbox, dev_issuer, unique
) -> None:
    email = f"awa.{unique}@example.org"
    said = SAID.format(marker=f"ref-{unique}")
    officer, owner = privacy_and_intake(intake_settings, sending, dev_issuer)
    async with serving(officer) as privacy, serving(owner) as intake:
        lookup(officer, PublicRights).owners.transports["intake"] = httpx.ASGITransport(owner)
        lookup(owner, PrivacyStatements).transport = httpx.ASGITransport(officer)
        door = door_form(lookup(owner, FamilyDoor), **{"parent.email": email})
        assert (await intake.post("/demander-aide", data=door)).status_code == 200
        form = {"droit": "rectification", "qui": "family", "contact": email, "a_corriger": said}
        asked = await privacy.post("/vos-droits", data=form)
        code = await code_in(mailbox, email, 0)
        proved = await privacy.post(asked.headers["location"], data={"code": code})
        assert proved.status_code == 200, proved.text
        privacy.headers["Authorization"] = f"Bearer {await dev_issuer.token_for('dpo')}"
        (case,) = (await privacy.get("/api/v1/cases")).json()
        await case_when(privacy, case["case_id"], lambda c: "intake" in c["acks"], timeout=90)
        await dev_issuer.sign_in(intake, "ppm-nantes")
        queue = html.unescape((await intake.get("/a-confirmer")).text)

    card = queue.split('id="rectification-demandee-', 1)[1].split("</div>", 1)[0]
    assert "Ce que la personne a écrit :" in card
    assert f"Dupont (ref-{unique}).<br>Mon fils Léo est né en 2019." in card
