"""One answer per access request, across the services: a mother recorded by staff who also
asked for help at the family door, with the same e-mail, names two families at intake. She
gets one « your copy is ready » message, not one per family; its link shows both parts, each
named in words, in French and in Portuguese, with each part's JSON beside it. A contact
naming one family still gets its one link to its one copy."""

import asyncio
import html
import re

from entraide.intake.usecases.self_requests import FamilyDoor
from entraide.kit.deps import lookup
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
                  "Votre fiche de famille, enregistrée le", "Votre demande d'aide du",
                  "Fiche de la famille", "Diallo", "Demandes envoyées par la famille",
                  "Traoré", "Seule avec deux enfants, épuisée."):  # fmt: skip
        assert words in read, words
    pt = text_of(portuguese.text)
    for words in ("tudo o que a rede detém com o endereço eletrónico",
                  "A sua ficha de família, registada em", "O seu pedido de ajuda de",
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
    assert "votre demande d'aide du" in one
    assert "Diallo" not in one
    assert "Traoré" in one
    assert "Votre fiche de famille" not in one


def _downloads(page: str) -> list[str]:
    """The JSON download of each part, as the page links it."""
    return re.findall(r'href="([^"]+donnees\.json[^"]*)"', page)
