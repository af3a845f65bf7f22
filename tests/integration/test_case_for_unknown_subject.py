"""A rights case for a reference that names no subject is refused at opening, in French,
through the officer's API and page, and no case exists: neither an erasure that every
service would answer with empty counts (then shown closed, as if done) nor an access
export of nothing. Privacy knows a subject by its registry or by the keys in its vault
(a family's key is made as intake records it, before the registry hears of it)."""

from datetime import UTC, datetime

import pytest

from entraide.kit.deps import lookup
from entraide.privacy.adapters.vault import KeyVault
from entraide.privacy.app import create_app as privacy_app
from tests.integration.test_staff_pages import csrf_of
from tests.support import serving

KNOWN, NOBODY, ERASED = "fam-known-0001", "fam-nobody-0001", "fam-erased-0001"


async def test_the_api_refuses_a_reference_naming_nobody(privacy_settings, dev_issuer, mongo):
    app = privacy_app(privacy_settings)
    db = mongo[privacy_settings.database]
    async with serving(app) as privacy:
        privacy.headers["Authorization"] = f"Bearer {await dev_issuer.token_for('dpo')}"
        await lookup(app, KeyVault).get_or_create(
            "intake", "family-1", subject_ref=KNOWN, subject_kind="family"
        )
        await db["erased"].insert_one(
            {"_id": ERASED, "case_id": "c-0", "erased_at": datetime(2026, 3, 2, tzinfo=UTC)}
        )

        async def open_case(ref: str, kind: str = "erasure", subject_kind: str = "family"):
            body = {"kind": kind, "subject_ref": ref, "subject_kind": subject_kind}
            return await privacy.post("/api/v1/cases", json=body)

        unknown = await open_case(NOBODY)
        access = await open_case(NOBODY, "access")
        erased = await open_case(ERASED)
        other_kind = await open_case(KNOWN, subject_kind="volunteer")
        known = await open_case(KNOWN)
        listed = (await privacy.get("/api/v1/cases")).json()

    assert unknown.status_code == 404
    assert unknown.json()["code"] == "unknown-subject"
    assert "Aucune famille ni aucun bénévole ne porte cette référence" in unknown.json()["detail"]
    assert access.status_code == 404
    assert erased.status_code == 409
    assert erased.json()["code"] == "already-erased"
    assert "déjà été effacée le 02/03/2026" in erased.json()["detail"]
    assert other_kind.status_code == 422
    assert other_kind.json()["code"] == "other-kind"
    assert known.status_code == 201, known.text
    assert [c["subject_ref"] for c in listed] == [KNOWN], "only the known subject's case"
    refused = await db["audit"].find({"action": "case-refused"}).to_list()
    assert sorted(e["reason"] for e in refused) == [
        "already-erased",
        "other-kind",
        "unknown-subject",
        "unknown-subject",
    ]
    assert all(e["actor"] for e in refused)


@pytest.mark.parametrize("kind", ["erasure", "rectification", "objection"])
async def test_the_officers_page_says_why_and_opens_nothing(
    kind, privacy_settings, dev_issuer, mongo
):
    """A rectification for a mistyped reference was opened, answered « aucune fiche » by
    intake and shown closed « Fait par le service responsable »: no case for nobody."""
    async with serving(privacy_app(privacy_settings)) as privacy:
        await dev_issuer.sign_in(privacy, "dpo")
        page = await privacy.get("/dossiers")
        form = {"kind": kind, "subject_kind": "family", "subject_ref": NOBODY}
        answer = await privacy.post("/dossiers", data=form | {"csrf": csrf_of(page.text)})

    assert answer.status_code == 422
    assert "sujet inconnu" in answer.text
    assert "Aucun dossier n&#39;a été ouvert." in answer.text
    assert f'value="{NOBODY}"' in answer.text, "what was typed is shown again"
    assert await mongo[privacy_settings.database]["cases"].count_documents({}) == 0
