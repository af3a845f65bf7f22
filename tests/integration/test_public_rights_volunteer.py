"""A volunteer's access export as they read it: they apply at directory, their association
approves them (the notifier tells them so), they ask for their data on privacy's public
page with the e-mail they applied with, and the link's page names every field and value in
words; no sealed copy of their identity, no hash of their address, no bookkeeping of the
rectification cases done."""

import html

from entraide.directory.adapters.volunteers.store import VolunteerStore
from entraide.directory.domain.volunteers.rules import Honorability, Status
from entraide.directory.usecases import volunteers
from entraide.directory.usecases.ports import UnitOfWork
from entraide.directory.usecases.volunteer_news import VolunteerNews
from entraide.directory.usecases.volunteers import Review
from entraide.kit.deps import lookup
from entraide.kit.principal import Principal, Role
from entraide.privacy.entrypoints.http.readable import FIELDS
from tests.integration.test_public_rights import (  # noqa: F401
    _ask_and_prove,
    _keys,
    _owner_in_process,
    copy_link,
    mailbox,
    sending,
)
from tests.integration.test_volunteer_to_family import APPLICATION
from tests.privacy_support import network

# the association's staff (the network's directory trusts no test issuer: its use case)
PPM = Principal(subject="s", name="Claire", role=Role.STAFF, association_id="parrains-par-mille")


async def test_a_volunteers_access_export_reads_in_words_without_their_sealed_identity(
    infra,
    unique,
    intake_settings,
    sending,  # noqa: F811
    mailbox,  # noqa: F811
) -> None:
    email = f"benevole.{unique}@example.org"
    async with network(infra, unique, intake_settings, sending) as net:
        _owner_in_process(net)
        directory = net["clients"]["directory"]
        applied = await directory.post("/devenir-benevole", data=APPLICATION | {"courriel": email})
        assert applied.status_code == 200, applied.text
        app = net["apps"]["directory"]
        [stored] = await lookup(app, VolunteerStore).all()
        uow, news = lookup(app, UnitOfWork), lookup(app, VolunteerNews)
        for review in (Review(status=Status.IN_REVIEW),
                       Review(status=Status.APPROVED, honorability=Honorability.CLEARED)):  # fmt: skip
            await volunteers.change(uow, PPM, stored["_id"], review, news)
        # a rectification their association made: its case is privacy's to tell, not a code
        done = {"$addToSet": {"rectifications_done": "case-0001"}}
        await lookup(app, VolunteerStore).collection.update_one({"_id": stored["_id"]}, done)
        privacy = net["clients"]["privacy"]
        proved = await _ask_and_prove(privacy, mailbox, "access", email, who="volunteer")
        path = (await copy_link(mailbox, email)).path
        page = await privacy.get(path)
        data = (await privacy.get(f"{path}/donnees.json")).json()

    assert "Votre demande est enregistrée" in proved.text
    assert page.status_code == 200
    part = data["services"]["directory"]
    assert part["volunteer"]["identity"]["prenom"] == "Camille"
    assert part["messages"], "the application's messages, recorded by the notifier"
    unnamed = {key for part in data["services"].values() for key in _keys(part)} - set(FIELDS)
    assert not unnamed, f"fields the export page would show as code: {unnamed}"
    said = html.unescape(page.text)
    for sealed in ("ciphertext", "nonce", "lookup", "sealed"):
        assert sealed not in said, f"the sealed or hashed copy shown: {sealed}"
        assert sealed not in str(data), f"the sealed or hashed copy exported: {sealed}"
    for code in (">approved<", ">cleared<", ">pending<", ">candidature-benevole<", ">email<"):
        assert code not in said, f"a code on the page: {code}"
    assert "Camille" in said
    for words in ("Fiche de bénévole", "Candidature envoyée le", ">acceptée<", ">validée<",
                  "Familles accompagnées en ce moment", "Reçoit les messages par",
                  "Messages du réseau", "où en est votre candidature de bénévole",
                  "Envoyé par", ">e-mail<"):  # fmt: skip
        assert words in said, words
