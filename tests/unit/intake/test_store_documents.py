"""The store's document shape: a family goes in and comes back the same, and a new
family's document carries its first request and its pending event (no database needed)."""

from datetime import UTC, date, datetime

from entraide.contracts.events import Slot
from entraide.contracts.vocab import (
    ContactChannel,
    DayPart,
    RequestChannel,
    Weekday,
    WithdrawalReason,
)
from entraide.intake.adapters import documents
from entraide.intake.domain.access import Scope
from entraide.intake.domain.family import Contact, MatchStep
from entraide.intake.usecases import recording
from tests.unit.intake.builders import details
from tests.unit.intake.fakes import FakeKeys, FakeUnitOfWork


async def _family():  # type: ignore[no-untyped-def]
    uow, keys = FakeUnitOfWork(), FakeKeys()
    recorded = await recording.record_request(
        uow, keys, details(), association_id="ppm", channel=RequestChannel.STAFF_API
    )
    return await uow.families.get(recorded.family_id)


async def test_a_family_comes_back_from_its_document_unchanged() -> None:
    family = await _family()
    family.withdraw(family.requests[0].request_id, WithdrawalReason.DUPLICATE, family.created_at)
    family.note_contact(
        Contact(
            day=date(2026, 11, 30),
            noted_at=datetime(2026, 12, 1, tzinfo=UTC),
            channel=ContactChannel.VISIT,
            by="s1",
            by_name="Claire",
            note={"v": "1"},
        )
    )
    family.shared_with.append("afev")
    assert documents.family_of(documents.document_of(family)) == family


async def test_a_new_familys_document_has_the_shape_the_other_services_tests_read() -> None:
    family = await _family()
    doc = documents.document_of(family)
    assert doc["_id"] == family.id
    assert doc["children"] == [
        {"birth_year": 2019},
        {"birth_year": 2023},
    ]
    assert doc["consent"] == {
        "matching": True,
        "sharing": False,
        "collected_by": "Claire (PPM)",
        "collected_at": "2026-11-28T10:00:00Z",
    }
    assert doc["requests"][0]["availability"] == [{"day": "we", "part": "afternoon"}]
    assert doc["requests"][0]["needs"] == ["parrainage-de-proximite", "repit-garde-ponctuelle"]


async def test_a_familys_summary_keeps_its_childrens_birth_years() -> None:
    """What the families list shows to tell rows apart, read from the document's
    `children` (the key the document has)."""
    family = await _family()
    summary = documents.summary_of(documents.document_of(family))
    assert summary.children_birth_years == (2019, 2023)
    assert summary.postal_code == family.postal_code


def test_a_scope_with_no_association_and_no_network_role_admits_nothing() -> None:
    assert documents.scope_filter(Scope(frozenset({"44"}), False, None)) == {"_id": {"$in": []}}


async def test_a_contact_stored_before_its_day_was_kept_reads_its_day_in_paris() -> None:
    """Families stored before kept a contact's `at` (a past day at noon UTC, today's at
    the moment it was noted): its day in Paris, and no time it was noted."""
    doc = documents.document_of(await _family())
    late = datetime(2026, 11, 30, 23, 30, tzinfo=UTC)  # 1 December, 0 h 30 in Paris
    doc["contacts"] = [{"at": late, "channel": "sms", "by": "s1", "note": {"v": "1"}}]
    (contact,) = documents.family_of(doc).contacts
    assert (contact.day, contact.noted_at, contact.by_name) == (date(2026, 12, 1), None, None)
    assert documents.document_of(documents.family_of(doc))["contacts"][0]["day"] == "2026-12-01"


async def test_a_requests_slots_are_stored_as_plain_strings_in_their_order() -> None:
    """MongoDB gets JSON values, each slot as its own `model_dump` gave it (matching and the
    exports read them)."""
    family = await _family()
    slots = [
        Slot(day=Weekday.FRIDAY, part=DayPart.EVENING),
        Slot(day=Weekday.MONDAY, part=DayPart.MORNING),
        Slot(day=Weekday.WEDNESDAY, part=DayPart.AFTERNOON),
    ]
    family.requests[0].availability = slots
    stored = documents.document_of(family)["requests"][0]["availability"]
    assert stored == [s.model_dump(mode="json") for s in slots]
    assert stored[0] == {"day": "fr", "part": "evening"}
    assert {type(v) for slot in stored for v in slot.values()} == {str}
    assert documents.family_of(documents.document_of(family)).requests[0].availability == slots


def test_an_orientation_step_is_stored_with_its_set_fields_only_and_read_back() -> None:
    at = datetime(2026, 12, 3, 10, 30, tzinfo=UTC)
    step = MatchStep(
        event_id="e1", request_id="r1", state="proposed", at=at, match_id="m1", support="offer"
    )
    doc = documents.step_document(step)
    assert doc == {
        "event_id": "e1", "request_id": "r1", "state": "proposed", "at": at,
        "match_id": "m1", "support": "offer",
    }  # fmt: skip
    assert documents._step_of(doc) == step
