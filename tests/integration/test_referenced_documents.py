"""The kit's `ReferencedDocuments` (matching's and the observatory's answer to privacy's
commands) on the real store: an access exports the person's documents without the relay's
pending events, even when their event is not yet published; an erasure deletes them."""

import uuid
from datetime import UTC, datetime, timedelta

from entraide.contracts import new_event
from entraide.contracts.events import AccessRequested, ErasureRequested, MatchClosed
from entraide.contracts.vocab import ErasureReason, MatchOutcome, SubjectKind
from entraide.kit.outbox import PENDING, outbox_entry
from entraide.kit.rights import ReferencedDocuments


def _pending_match(family_ref: str) -> dict:
    closed = MatchClosed(
        match_id=uuid.uuid4().hex,
        request_id=uuid.uuid4().hex,
        family_ref=family_ref,
        outcome=MatchOutcome.COMPLETED,
        closed_at=datetime.now(UTC),
    )
    event = new_event(closed, source="/tests/rights", subject=family_ref)
    return {
        "_id": closed.match_id,
        "family_ref": family_ref,
        "status": "closed",
        "outbox": [outbox_entry(event)],
        **PENDING,
    }


async def test_an_access_exports_the_documents_without_the_relays_pending_events(
    mongo, unique
) -> None:
    db = mongo[f"test_rights_{unique}"]
    family_ref = f"fam-{unique}"
    await db["matches"].insert_one(_pending_match(family_ref))
    await db["matches"].insert_one(_pending_match(f"other-{unique}"))
    rights = ReferencedDocuments(db)
    deadline = datetime.now(UTC) + timedelta(days=30)
    ask = {"case_id": f"case-{unique}", "subject_kind": SubjectKind.FAMILY, "deadline": deadline}

    part = await rights.export(AccessRequested(subject_ref=family_ref, **ask))
    erased = await rights.erase(
        ErasureRequested(subject_ref=family_ref, reason=ErasureReason.RIGHTS_REQUEST, **ask)
    )

    (match,) = part["matches"]
    assert match["family_ref"] == family_ref
    assert match["status"] == "closed"
    assert not {"outbox", "outbox_pending", "lease_until", "lease_owner"} & set(match)
    assert erased == {"matches": 1}
    assert await db["matches"].count_documents({}) == 1  # the other family's stays
    await mongo.drop_database(db.name)
