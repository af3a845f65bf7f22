"""The copy of a family recorded by staff on intake's form (`ppm-nantes`, Julien (PPM)),
with a contact they noted on a past day: in Portuguese on the parent's link and in French
on the DPO's page, no staff account or name, no channel code (`staff-form`), no English
key, no time nobody typed (the day is stored at noon UTC), no revision, the phone in pairs.
(A match is in the unit test's copy: none is proposed here without a volunteer.)"""

import html
import json
import re
from datetime import timedelta

import httpx

from entraide.kit import formats
from entraide.privacy.entrypoints.http.readable import FIELDS
from entraide.privacy.entrypoints.http.readable_others import HIDDEN
from tests.integration.test_public_rights import (  # noqa: F401
    _keys,
    _owner_in_process,
    code_in,
    copy_link,
    mailbox,
    sending,
)
from tests.integration.test_staff_pages import create, post_form
from tests.page_text import text_of
from tests.privacy_support import network

UNSAID = ("dev-", "Julien", "(PPM)", "staff-form", "13 h 00", "13:00", "Version", "Versão",
          "0611223399", " por a ", "logged")  # fmt: skip


async def test_a_staff_recorded_familys_copy_has_no_staff_code_and_days_as_days(
    infra,
    unique,
    intake_settings,
    sending,  # noqa: F811
    mailbox,  # noqa: F811
    dev_issuer,
) -> None:
    email = f"parent.{unique}@example.org"
    day = (formats.today() - timedelta(days=3)).isoformat()
    async with network(infra, unique, intake_settings, sending) as net:
        _owner_in_process(net)
        intake, privacy = net["clients"]["intake"], net["clients"]["privacy"]
        await dev_issuer.sign_in(intake, "ppm-nantes")
        typed = {"parent.email": email, "parent.phone": "0611223399"}
        family_url = (await create(intake, **typed)).headers["location"].split("?")[0]
        noted = {"canal": "phone", "date": day, "note": "Appelée, d'accord."}
        contact = await post_form(intake, family_url, f"{family_url}/contacts", noted)
        assert contact.status_code == 303, contact.text
        intake.cookies.clear()
        await privacy.get("/vos-droits", params={"lang": "pt"})
        form = {"droit": "access", "qui": "family", "contact": email}
        asked = await privacy.post("/vos-droits", data=form)
        await privacy.post(
            asked.headers["location"], data={"code": await code_in(mailbox, email, 0)}
        )
        url = await copy_link(mailbox, email, "Os seus dados: a sua cópia está pronta")
        transport = httpx.ASGITransport(app=net["apps"]["privacy"])
        async with httpx.AsyncClient(transport=transport, base_url="http://phone") as phone:
            portuguese = await phone.get(url.raw_path.decode())
            data = (await phone.get(f"{url.path}/donnees.json")).json()
        dpo = {"Authorization": f"Bearer {await dev_issuer.token_for('dpo')}"}
        (case,) = (await privacy.get("/api/v1/cases", headers=dpo)).json()
        await dev_issuer.sign_in(privacy, "dpo")
        french = await privacy.get(f"/dossiers/{case['case_id']}/export.html")

    shown_day = formats.day(day)
    for page, medium, channel in (
        (portuguese, "Meio de contacto", "a equipa da associação (formulário)"),
        (french, "Moyen de contact", "l'équipe de l'association (formulaire)"),
    ):
        assert page.status_code == 200
        read = text_of(page.text)
        every = html.unescape(re.sub(r"<[^>]+>", " ", page.text))
        assert [w for w in UNSAID if w in every] == []
        for words in (medium, channel, shown_day, "06 11 22 33 99"):
            assert words in read, words
    unnamed = {key for part in data["services"].values() for key in _keys(part)}
    assert unnamed - set(FIELDS) - HIDDEN == set(), "keys the page would show as code"
    # the JSON file keeps every part as the services hold it, but their staff's names and
    # accounts (the page's words instead)
    family = data["services"]["intake"]["family"]
    assert "by_name" not in family["contacts"][0]
    assert "Julien (PPM)" not in json.dumps(data, ensure_ascii=False)
    assert family["contacts"][0]["by"] == "uma conta da equipa da associação"
    assert family["requests"][0]["channel"] == "staff-form"
