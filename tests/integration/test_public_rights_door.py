"""A parent whose request still waits at the family door asks privacy for their data,
across the services: intake's door holds the request, privacy's public channel proves the
e-mail, asks intake which family it names and opens the case; intake answers with the
request, and the copy's page reads it in words (no code, hash or sealed copy): the action
she chose on an association's offer as that association's action, not directory's id."""

import html

from entraide.intake.usecases.self_requests import FamilyDoor
from entraide.kit.deps import lookup
from entraide.privacy.entrypoints.http.readable import FIELDS
from tests.integration.test_family_door import form
from tests.integration.test_public_rights import (  # noqa: F401
    _ask_and_prove,
    _keys,
    _owner_in_process,
    copy_link,
    mailbox,
    sending,
)
from tests.privacy_support import network

OFFER = "5f0c2a9e41b7d3c8a6e1f094"  # as directory names an offer (`secrets.token_hex(12)`)


async def test_a_parent_waiting_at_the_door_gets_their_request_in_their_copy(
    infra,
    unique,
    intake_settings,
    sending,  # noqa: F811
    mailbox,  # noqa: F811
) -> None:
    email = f"parent.porte.{unique}@example.org"
    async with network(infra, unique, intake_settings, sending) as net:
        _owner_in_process(net)
        door = lookup(net["apps"]["intake"], FamilyDoor)
        typed = {"parent.email": email, "parent.phone": "", "contact_preferences": ["email"],
                 "offer_id": OFFER}  # fmt: skip
        sent = await net["clients"]["intake"].post("/demander-aide", data=form(door, **typed))
        assert sent.status_code == 200, sent.text
        privacy = net["clients"]["privacy"]
        proved = await _ask_and_prove(privacy, mailbox, "access", email)
        path = (await copy_link(mailbox, email)).path
        page = html.unescape((await privacy.get(path)).text)
        data = (await privacy.get(f"{path}/donnees.json")).json()

    assert "Votre demande est enregistrée" in proved.text
    (own,) = data["services"]["intake"]["own_requests"]
    assert own["identity"]["parent"]["last_name"] == "Traoré"
    assert (own["offer_id"], own["departement"]) == (OFFER, "44")  # the JSON keeps the codes
    unnamed = {key for part in data["services"].values() for key in _keys(part)} - set(FIELDS)
    assert not unnamed, f"fields the export page would show as code: {unnamed}"
    for words in ("Demandes envoyées par la famille", "en attente de l'équipe", "Traoré",
                  "Seule avec deux enfants, épuisée.", "une action de Parrains Par Mille",
                  "Loire-Atlantique"):  # fmt: skip
        assert words in page, words
    assert OFFER not in page
    for hidden in ("code_hash", "lookup", "ciphertext", "sealed"):
        assert hidden not in str(data), hidden
