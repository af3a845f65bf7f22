"""The kit's `ReferencedDocuments` (matching's and the observatory's answer to privacy's
commands) on the real store: an access exports the person's documents without the relay's
pending events, even when their event is not yet published; an erasure deletes them.
Matching's also finds the documents keyed by a volunteer's reference."""

import uuid
from datetime import UTC, datetime, timedelta

from entraide.contracts import new_event
from entraide.contracts.events import (
    AccessRequested,
    ErasureRequested,
    MatchClosed,
    VolunteerAvailability,
)
from entraide.contracts.vocab import ErasureReason, MatchOutcome, Need, SubjectKind
from entraide.kit.outbox import PENDING, outbox_entry
from entraide.kit.rights import ReferencedDocuments
from entraide.matching.adapters.rights import rights_handler
from entraide.matching.adapters.volunteers import VolunteerViews
from entraide.privacy.entrypoints.http.readable import FIELDS
from tests.integration.test_public_rights import _keys


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


async def _export_then_erase(
    rights: ReferencedDocuments, ref: str, kind: SubjectKind
) -> tuple[dict, dict[str, int]]:
    """The subject's part of an access export, then the counts of its erasure."""
    deadline = datetime.now(UTC) + timedelta(days=30)
    ask = {"case_id": f"case-{ref}", "subject_ref": ref, "subject_kind": kind, "deadline": deadline}
    part = await rights.export(AccessRequested(**ask))
    return part, await rights.erase(ErasureRequested(reason=ErasureReason.RIGHTS_REQUEST, **ask))


async def test_an_access_exports_the_documents_without_the_relays_pending_events(
    mongo, unique
) -> None:
    db = mongo[f"test_rights_{unique}"]
    family_ref = f"fam-{unique}"
    await db["matches"].insert_one(_pending_match(family_ref))
    await db["matches"].insert_one(_pending_match(f"other-{unique}"))
    part, erased = await _export_then_erase(ReferencedDocuments(db), family_ref, SubjectKind.FAMILY)

    (match,) = part["matches"]
    assert match["family_ref"] == family_ref
    assert match["status"] == "closed"
    assert not {"outbox", "outbox_pending", "lease_until", "lease_owner"} & set(match)
    assert erased == {"matches": 1}
    assert await db["matches"].count_documents({}) == 1  # the other family's stays
    await mongo.drop_database(db.name)


async def test_a_volunteers_read_model_and_places_are_exported_and_erased(mongo, unique) -> None:
    """Matching keys a volunteer's read model by the reference (`_id`) and its places by
    `volunteer:<ref>`: no field names the reference, yet both are the volunteer's."""
    db = mongo[f"test_rights_{unique}"]
    ref, other = f"vol-{unique}", f"vol-other-{unique}"
    availability = VolunteerAvailability(
        volunteer_ref=ref,
        association_id="afev",
        revision=1,
        departement="44",
        postal_code="44000",
        needs=[Need.ACCOMPAGNEMENT_SCOLAIRE],
        capacity=2,
        active=True,
        changed_at=datetime.now(UTC),
    )
    views = VolunteerViews(db)
    await views.upsert(availability)
    await views.upsert(availability.model_copy(update={"volunteer_ref": other}))
    await db["places"].insert_one({"_id": f"volunteer:{ref}", "taken": [{"match_id": "m-1"}]})
    part, erased = await _export_then_erase(rights_handler(db), ref, SubjectKind.VOLUNTEER)

    (view,) = part["volunteers"]
    assert view["_id"] == ref
    assert view["postal_code"] == "44000"
    assert part["places"] == [{"_id": f"volunteer:{ref}", "taken": [{"match_id": "m-1"}]}]
    unnamed = _keys(part) - set(FIELDS)
    assert not unnamed, f"fields the export page would show as code: {unnamed}"
    assert erased == {"volunteers": 1, "places": 1}
    assert await views.get(other) is not None  # another volunteer's stays
    await mongo.drop_database(db.name)
