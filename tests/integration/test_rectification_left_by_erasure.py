"""A parent asked on `/vos-droits` for her record to be corrected; the rectification is
flagged on the record, waiting for staff. Then her data is erased (the officer's erasure
case): intake erases the record, and nothing would ever close the rectification again (the
deadline passed, the person never answered). Privacy closes it itself once the erasure
closes, « sans suite », and the parent is told once that her data was erased since, nothing
left to correct. Real broker and store, the network's services in process."""

import asyncio

from tests.integration.test_public_rights import mail_to, mailbox, sending  # noqa: F401
from tests.integration.test_public_rights_answer import SUBJECT, _asked
from tests.privacy_support import case_when, closed, network


def resolved(case: dict) -> bool:
    """Closed by privacy itself, and its trail written."""
    trail = case.get("audit") or [{}]
    return case["status"] == "closed" and trail[-1].get("action") == "case-resolved"


async def test_a_rectification_waiting_closes_with_the_erasure_and_the_parent_is_told_once(
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
        ref = (await privacy.get(f"/api/v1/cases/{case_id}")).json()["subject_ref"]
        asked = {"kind": "erasure", "subject_ref": ref, "subject_kind": "family"}
        opened = await privacy.post("/api/v1/cases", json=asked)
        assert opened.status_code == 201, opened.text
        erasure = await case_when(privacy, opened.json()["case_id"], closed, timeout=120)
        done = await case_when(privacy, case_id, resolved, timeout=60)
        told = await mail_to(mailbox, email, SUBJECT)
        await asyncio.sleep(3)  # privacy's answers go every second: none more
        answers = [m for m in mailbox.to(email) if m["Subject"].startswith(SUBJECT)]
        dossier = (await privacy.get(f"/dossiers/{case_id}")).text

    assert erasure["status"] == "closed"
    assert done["decision"] == "subject-erased"
    assert [e["actor"] for e in done["audit"]][-1] == "privacy"
    assert "Sans suite, les données de la personne ayant été effacées depuis" in dossier
    assert "vos données ont été effacées entre-temps" in told
    assert "il n'y a plus rien à corriger" in told
    assert "corrigée le" not in told
    assert len(answers) == 1, "told once"
