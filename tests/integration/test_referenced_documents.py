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
from entraide.matching.adapters.matches import MatchStore
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
    rights = ReferencedDocuments(db, refs={"matches": ("family_ref",)})
    part, erased = await _export_then_erase(rights, family_ref, SubjectKind.FAMILY)

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


def _match(family_ref: str, state: str, support_key: str) -> dict:
    """A match as matching stores it (the fields that name or describe the family too)."""
    at = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
    return {
        "_id": uuid.uuid4().hex,
        "request_id": uuid.uuid4().hex,
        "family_ref": family_ref,
        "support_key": support_key,
        "association_id": "afev",
        "departement": "44",
        "needs": [Need.ACCOMPAGNEMENT_SCOLAIRE.value],
        "urgency": "high",
        "state": state,
        "score": 2.1,
        "reasons": ["à 1,2 km", "parle arabe"],
        "proposed_at": at,
        "accepted_at": at,
        "open_request": "r",
    }


async def test_an_erased_familys_open_match_is_closed_without_anything_of_the_family(
    mongo, unique
) -> None:
    """Its coordinators still see the support end, and why; the volunteer's place comes
    back; the family's closed matches go, and another family's open match stays."""
    db = mongo[f"test_rights_{unique}"]
    ref, support = f"fam-{unique}", f"volunteer:vol-{unique}"
    open_match, done = _match(ref, "accepted", support), _match(ref, "closed", support)
    other = _match(f"other-{unique}", "accepted", support)
    await db["matches"].insert_many([open_match, done, other])
    taken = [{"match_id": m["_id"], "at": m["proposed_at"]} for m in (open_match, other)]
    await db["places"].insert_one({"_id": support, "taken": taken})

    _, erased = await _export_then_erase(rights_handler(db), ref, SubjectKind.FAMILY)

    assert erased == {"matches": 2}  # one deleted, one ended
    ended = await db["matches"].find_one({"_id": open_match["_id"]})
    assert ended is not None
    assert ended["state"] == "closed"
    assert ended["outcome"] == "family-erased"
    assert ended["closed_at"] is not None
    assert ended["support_key"] == support
    assert ended["association_id"] == "afev"
    kept = {"_id", "support_key", "association_id", "departement", "needs", "proposed_at"}
    assert set(ended) == kept | {"accepted_at", "state", "outcome", "closed_at"}
    assert await MatchStore(db).get(ended["_id"]) is None  # nothing left to act on
    assert await db["matches"].find_one({"_id": done["_id"]}) is None
    assert (await db["matches"].find_one({"_id": other["_id"]}))["state"] == "accepted"
    places = await db["places"].find_one({"_id": support})
    assert [t["match_id"] for t in places["taken"]] == [other["_id"]]
    again, _ = await _export_then_erase(rights_handler(db), ref, SubjectKind.FAMILY)
    assert again == {}  # nothing left that names the family
    await mongo.drop_database(db.name)
