"""One answer per access request, across the services: a mother recorded by staff who also
asked for help at the family door, with the same e-mail, names two families at intake. She
gets one « your copy is ready » message, not one per family; its link shows both parts, each
named in words (the one the association recorded, the one she sent online), in French and in
Portuguese, with each part's JSON beside it: as held, but no staff member's name or account. A contact
naming one family still gets its one link to its one copy."""

import asyncio
import html
import json
import re
from typing import Any

import httpx

from entraide.intake.usecases.self_requests import FamilyDoor
from entraide.kit.deps import lookup
from entraide.privacy.entrypoints.http import readable_others as others
from tests.integration.test_family_door import form
from tests.integration.test_public_rights import (  # noqa: F401
    _ask_and_prove,
    _family,
    _owner_in_process,
    copy_link,
    mailbox,
    sending,
)
from tests.page_text import text_of
from tests.privacy_support import network

READY = {"fr": "Vos données : votre copie est prête", "pt": "Os seus dados"}


async def test_a_contact_naming_two_families_gets_one_message_whose_page_shows_both(
    infra,
    unique,
    intake_settings,
    sending,  # noqa: F811
    mailbox,  # noqa: F811
    staff_bearer,
) -> None:
    alone = f"seule.{unique}@example.org"
    async with network(infra, unique, intake_settings, sending) as net:
        _owner_in_process(net)
        email = await _family(net, unique, staff_bearer)  # Diallo, recorded by staff
        door = lookup(net["apps"]["intake"], FamilyDoor)
        for typed in ({"parent.email": email}, {"parent.email": alone}):
            typed |= {"parent.phone": "", "contact_preferences": ["email"]}
            sent = await net["clients"]["intake"].post("/demander-aide", data=form(door, **typed))
            assert sent.status_code == 200, sent.text
        privacy = net["clients"]["privacy"]
        proved = await _ask_and_prove(privacy, mailbox, "access", email)
        await _ask_and_prove(privacy, mailbox, "access", alone)
        url = await copy_link(mailbox, email)
        single = await copy_link(mailbox, alone)
        await asyncio.sleep(3)  # any other message of the same request would be out by now
        messages = [m for m in mailbox.to(email) if m["Subject"].startswith(READY["fr"])]
        french = await privacy.get(url.path, params={"lang": "fr"})
        portuguese = await privacy.get(url.path, params={"lang": "pt"})
        parts = [
            (await privacy.get(html.unescape(href))).json()
            for href in _downloads(french.text)
        ]  # fmt: skip
        alone_page = await privacy.get(single.path, params={"lang": "fr"})
        alone_messages = [m for m in mailbox.to(alone) if m["Subject"].startswith(READY["fr"])]

    assert "Votre demande est enregistrée" in proved.text
    assert len(messages) == 1, [m["Subject"] for m in messages]
    assert "Le réseau garde 2 dossiers sous cette adresse" in messages[0].get_content()
    read = text_of(french.text)
    assert french.status_code == 200
    for words in ("tout ce que le réseau détient sous l'adresse électronique",
                  "La fiche enregistrée par Parrains Par Mille le",
                  "Votre demande faite en ligne le",
                  "Fiche de la famille", "Diallo", "Demandes envoyées par la famille",
                  "Traoré", "Seule avec deux enfants, épuisée."):  # fmt: skip
        assert words in read, words
    pt = text_of(portuguese.text)
    for words in ("tudo o que a rede detém com o endereço eletrónico",
                  "A ficha registada por Parrains Par Mille em", "O seu pedido feito online em",
                  "Diallo", "Traoré"):  # fmt: skip
        assert words in pt, words
    assert "Fiche de la famille" not in portuguese.text
    assert len(parts) == 2
    kept = [set(p["services"]["intake"]) for p in parts]
    assert any("family" in k for k in kept), kept
    assert {"own_requests"} in kept, kept
    assert len(alone_messages) == 1
    assert "dossiers sous cette adresse" not in alone_messages[0].get_content()
    one = text_of(alone_page.text)
    assert "votre demande faite en ligne le" in one
    assert "Diallo" not in one
    assert "Traoré" in one
    assert "La fiche enregistrée par" not in one


async def test_her_json_of_a_staff_recorded_family_names_no_staff_while_the_dpos_does(
    infra,
    unique,
    intake_settings,
    sending,  # noqa: F811
    mailbox,  # noqa: F811
    staff_bearer,
    dev_issuer,
) -> None:
    """The JSON the person downloads held `"collected_by": "Julien (PPM)"`, the staff
    account's code (`actor`) and name (`actor_name`): other people's data. Hers has the
    page's words instead; the officer's export keeps what the services hold."""
    async with network(infra, unique, intake_settings, sending) as net:
        _owner_in_process(net)
        email = await _family(net, unique, staff_bearer)
        privacy = net["clients"]["privacy"]
        await _ask_and_prove(privacy, mailbox, "access", email)
        url = await copy_link(mailbox, email)
        page = await privacy.get(url.path, params={"lang": "fr"})
        (href,) = _downloads(page.text)
        hers = (await privacy.get(html.unescape(href))).json()
        transport = httpx.ASGITransport(app=net["apps"]["privacy"])
        async with httpx.AsyncClient(transport=transport, base_url="http://dpo") as officer:
            await dev_issuer.sign_in(officer, "dpo")
            held = (await officer.get(f"/dossiers/{hers['case_id']}/export.json")).json()

    staff = _staff_values(held["services"])
    assert any(v.startswith("dev-") for v in staff), staff  # the account's code
    assert any(not v.startswith("dev-") for v in staff), staff  # a staff member's name
    text = json.dumps(hers, ensure_ascii=False)
    for value in staff:
        assert value not in text, value
    assert "un compte de l'équipe de l'association" in text
    assert "les données telles que les services les gardent" in text_of(page.text)


def _staff_values(part: Any, key: str = "") -> set[str]:
    """What the services hold of their staff: names, and accounts that are no engine's."""
    if isinstance(part, dict):
        return {v for k, value in part.items() for v in _staff_values(value, k)}
    if isinstance(part, list):
        return {v for value in part for v in _staff_values(value, key)}
    staff = key in others.STAFF_NAMES or (key in others.ACCOUNTS and part not in others.NOT_STAFF)
    return {part} if staff and isinstance(part, str) and part else set()


def _downloads(page: str) -> list[str]:
    """The JSON download of each part, as the page links it."""
    return re.findall(r'href="([^"]+donnees\.json[^"]*)"', page)
