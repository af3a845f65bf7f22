from datetime import UTC, date, datetime

import pytest
from pydantic import ValidationError

from entraide.contracts.events import VolunteerAvailability
from entraide.directory.domain.volunteers import rules as volunteering
from entraide.directory.domain.volunteers.application import Application
from entraide.directory.domain.volunteers.rules import Honorability, Status, TransitionError
from entraide.directory.domain.volunteers.volunteer import Volunteer

FORM = {
    "identity": {"prenom": "Camille", "nom": "Martin", "courriel": "camille@example.org"},
    "association_id": "parrains-par-mille",
    "code_postal": "44000",
    "needs": ["parrainage-de-proximite"],
    "availability": [{"day": "we", "part": "afternoon"}],
    "consent": True,
}


def test_approval_needs_a_cleared_honorability_check():
    with pytest.raises(TransitionError):
        volunteering.change_status(Status.IN_REVIEW, Status.APPROVED, Honorability.REQUESTED)
    assert (
        volunteering.change_status(Status.IN_REVIEW, Status.APPROVED, Honorability.CLEARED)
        is Status.APPROVED
    )


def test_review_comes_before_approval_and_leaving_is_final():
    with pytest.raises(TransitionError):
        volunteering.change_status(Status.APPLIED, Status.APPROVED, Honorability.CLEARED)
    with pytest.raises(TransitionError):
        volunteering.change_status(Status.LEFT, Status.APPROVED, Honorability.CLEARED)
    assert (
        volunteering.change_status(Status.APPROVED, Status.PAUSED, Honorability.CLEARED)
        is Status.PAUSED
    )


def test_an_application_without_consent_or_slot_is_refused():
    with pytest.raises(ValidationError):
        Application.model_validate(FORM | {"consent": False})
    with pytest.raises(ValidationError):
        Application.model_validate(FORM | {"availability": []})


def test_the_availability_event_is_pseudonymous_and_inactive_while_paused():
    doc = FORM | {
        "volunteer_ref": "ref-abcdefgh",
        "revision": 3,
        "status": "paused",
        "capacity": 2,
        "languages": ["fr"],
    }
    event = volunteering.availability_event(doc, at=datetime(2026, 11, 28, tzinfo=UTC))
    dumped = event.model_dump_json()
    assert "Camille" not in dumped
    assert "camille@" not in dumped
    assert event.departement == "44"
    assert event.active is False
    assert event.capacity == 2
    assert not volunteering.announced(Status.IN_REVIEW)


def test_a_cleared_check_is_valid_three_years_unless_the_attestation_says_when():
    today = date(2026, 11, 29)
    cleared = Honorability.CLEARED
    assert volunteering.honorability_valid_until(cleared, given=None, today=today) == date(
        2029, 11, 28
    )
    assert volunteering.honorability_valid_until(
        cleared, given=date(2027, 6, 1), today=today
    ) == date(2027, 6, 1)
    for other in (Honorability.REQUESTED, Honorability.REFUSED, Honorability.NOT_REQUESTED):
        assert (
            volunteering.honorability_valid_until(other, given=date(2027, 6, 1), today=today)
            is None
        )


def test_the_availability_event_carries_the_checks_validity_only_once_cleared():
    doc = FORM | {
        "volunteer_ref": "ref-abcdefgh",
        "revision": 3,
        "status": "approved",
        "capacity": 1,
        "languages": ["fr", "ar"],
        "honorability": "cleared",
        "honorability_valid_until": "2029-11-28",
    }
    at = datetime(2026, 11, 29, tzinfo=UTC)
    event = volunteering.availability_event(doc, at=at)
    assert event.honorability_valid_until == date(2029, 11, 28)
    assert event.languages == ["fr", "ar"]
    refused = volunteering.availability_event(doc | {"honorability": "refused"}, at=at)
    assert refused.honorability_valid_until is None


def test_the_review_that_clears_the_check_dates_it_and_a_refusal_removes_it():
    volunteer = Volunteer(
        id="v1",
        volunteer_ref="ref-abcdefgh",
        association_id="parrains-par-mille",
        identity={},
        code_postal="44000",
        needs=["parrainage-de-proximite"],
        availability=[{"day": "we", "part": "afternoon"}],
        languages=["fr"],
        skills=[],
        capacity=1,
        active_families=0,
        status=Status.APPLIED,
        honorability=Honorability.NOT_REQUESTED,
        revision=1,
        applied_at=datetime(2026, 11, 1, tzinfo=UTC),
        updated_at=datetime(2026, 11, 1, tzinfo=UTC),
    )
    now = datetime(2026, 11, 29, tzinfo=UTC)
    volunteer.change({"status": "in-review", "honorability": "cleared"}, now)
    volunteer.change({"status": "approved"}, now)
    [announced] = [e for e in volunteer.events if e.type == VolunteerAvailability.EVENT_TYPE]
    assert announced.data.honorability_valid_until == date(2029, 11, 28)  # type: ignore[union-attr]
    assert Volunteer.from_state(volunteer.state()).honorability_valid_until == date(2029, 11, 28)
    volunteer.change({"honorability": "refused"}, now)
    assert volunteer.honorability_valid_until is None
    assert volunteer.events[-1].data.honorability_valid_until is None  # type: ignore[union-attr]


# an approved volunteer as stored (cleared check, applied on 10/01/2026)
STORED = {
    "_id": "v1",
    "volunteer_ref": "ref-abcdefgh",
    "association_id": "parrains-par-mille",
    "identity": {},
    "code_postal": "44000",
    "needs": ["parrainage-de-proximite"],
    "availability": [],
    "languages": ["fr"],
    "capacity": 1,
    "status": "approved",
    "honorability": "cleared",
    "revision": 4,
    "applied_at": datetime(2026, 1, 10, tzinfo=UTC),
    "updated_at": datetime(2026, 2, 1, tzinfo=UTC),
}


def test_a_check_cleared_before_its_date_was_kept_counts_from_the_application():
    assert Volunteer.from_state(STORED).honorability_valid_until == date(2029, 1, 9)


def test_an_application_from_a_village_is_taken_and_one_from_no_french_postal_code_refused():
    village = Application.model_validate(FORM | {"code_postal": "58240"})
    assert village.code_postal == "58240"  # Saint-Pierre-le-Moûtier and its neighbours
    with pytest.raises(ValidationError) as refused:
        Application.model_validate(FORM | {"code_postal": "00000"})
    assert [e["loc"] for e in refused.value.errors()] == [("code_postal",)]


def test_an_erasure_owes_a_tombstone_once_matching_heard_of_the_volunteer_and_only_once():
    for status in (Status.APPLIED, Status.IN_REVIEW, Status.DECLINED):  # never announced
        assert not volunteering.tombstone_owed(status, all_published=False)
    for status in (Status.APPROVED, Status.PAUSED):
        assert volunteering.tombstone_owed(status, all_published=True)
        assert volunteering.tombstone_owed(status, all_published=False)
    # leaving queued its own tombstone: owed again only if it had not gone out
    assert not volunteering.tombstone_owed(Status.LEFT, all_published=True)
    assert volunteering.tombstone_owed(Status.LEFT, all_published=False)


def test_a_volunteer_supporting_as_many_families_as_offered_is_at_capacity():
    """Their space then says no family comes before a support ends (not « l'association
    peut vous proposer une famille »)."""
    two = Volunteer.from_state(STORED | {"capacity": 2})
    assert [two.at_capacity(n) for n in (0, 1, 2, 3)] == [False, False, True, True]
