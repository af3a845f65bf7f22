"""A volunteer's rectification asked on the public form with what is wrong and what to write
instead: their association reads the words on the card's correction form (« Corriger ses
coordonnées »), read from privacy as the form opens with directory's service token; directory
keeps none of it, no topic holds it, and it is gone once the card is corrected. Before, the
form said only that a rectification was asked. Privacy and directory running, real broker and
store."""

import html
import json

import httpx
from bson import json_util

from entraide.directory.adapters.volunteers.store import VolunteerStore
from entraide.directory.app import create_app as directory_app
from entraide.kit.deps import lookup
from entraide.kit.rectification_statements import PrivacyStatements
from entraide.privacy.adapters.vault import KeyVault
from entraide.privacy.app import create_app as privacy_app
from entraide.privacy.usecases.public_requests import PublicRights
from tests.integration.test_directory_offers import directory_settings
from tests.integration.test_public_rights import code_in, mailbox, sending
from tests.integration.test_rectification_statement import SAID, _as, _topics_holding
from tests.integration.test_volunteer_correction_form import CORRECTED, post
from tests.integration.test_volunteer_to_family import APPLICATION, review
from tests.privacy_support import case_when, closed
from tests.support import eventually, serving

__all__ = ["directory_settings", "mailbox", "sending"]  # the fixtures used here


async def _ask_proved(privacy, mailbox, email: str, who: str, said: str) -> None:
    """The person asks for a rectification with these words and proves her contact."""
    form = {"droit": "rectification", "qui": who, "contact": email, "a_corriger": said}
    asked = await privacy.post("/vos-droits", data=form)
    assert asked.status_code == 303, asked.text
    code = await code_in(mailbox, email, 0)
    proved = await privacy.post(asked.headers["location"], data={"code": code})
    assert "Votre demande est enregistrée" in proved.text


async def test_the_volunteers_words_are_read_on_the_correction_form_and_on_no_topic(
    directory_settings, sending, mailbox, dev_issuer, unique
) -> None:
    email = f"benevole.{unique}@example.org"
    said = SAID.format(marker=f"ref-{unique}")
    routed = {"rights_services": ("directory", "privacy"), "graceful_timeout_seconds": 2.0}
    officer = privacy_app(sending.model_copy(update=routed))
    app = directory_app(directory_settings)
    async with serving(officer) as privacy, serving(app) as directory:
        lookup(officer, PublicRights).owners.transports["directory"] = httpx.ASGITransport(app)
        lookup(app, PrivacyStatements).transport = httpx.ASGITransport(officer)
        applied = await directory.post("/devenir-benevole", data=APPLICATION | {"courriel": email})
        assert applied.status_code == 200
        [stored] = await lookup(app, VolunteerStore).all()
        # deployed, directory keeps the volunteer's key in privacy's vault (here its keys
        # are local): privacy opens no case for a reference it does not know
        await lookup(officer, KeyVault).get_or_create(
            "directory", str(stored["_id"]), subject_ref=stored["volunteer_ref"],
            subject_kind="volunteer",
        )  # fmt: skip
        await dev_issuer.sign_in(directory, "ppm-nantes")
        await review(directory, stored["_id"], statut="in-review", honorabilite="cleared")
        await review(directory, stored["_id"], statut="approved")
        await _ask_proved(privacy, mailbox, email, "volunteer", said)
        privacy.headers["Authorization"] = f"Bearer {await dev_issuer.token_for('dpo')}"
        (case,) = (await privacy.get("/api/v1/cases")).json()
        case_id = case["case_id"]
        await case_when(privacy, case_id, lambda c: "directory" in c["acks"], timeout=90)
        url = f"/association/benevoles/{stored['_id']}/coordonnees"
        form = html.unescape((await directory.get(url)).text)
        kept = json.dumps(await lookup(app, VolunteerStore).all(), default=json_util.default)
        leaked = await _topics_holding(directory_settings.kafka_bootstrap, f"ref-{unique}".encode())
        statement_url = f"/internal/v1/rectifications/{case_id}/statement"
        not_its_own = await privacy.get(statement_url, headers=_as("intake"))
        as_dpo = await privacy.get(statement_url)

        fixed = await post(directory, url, **CORRECTED)
        assert fixed.headers["location"].startswith("/association?resultat="), fixed.text
        await case_when(privacy, case_id, closed, timeout=60)

        async def forgotten() -> bool:
            return await officer.state.db["person_statements"].count_documents({}) == 0

        await eventually(forgotten, timeout=30, what="the statement forgotten")
        form_after = (await directory.get(url)).text

    assert "Ce que la personne a écrit :" in form
    assert f"Mon nom s'écrit Dupond, pas Dupont (ref-{unique}).<br>Mon fils Léo" in form
    assert f"ref-{unique}" not in kept, "directory keeps none of it"
    assert leaked == [], "no topic holds it in clear"
    assert not_its_own.status_code == 403, "intake holds no volunteer's record"
    assert as_dpo.status_code == 401, "privacy's internal API: services only"
    assert f"ref-{unique}" not in form_after
