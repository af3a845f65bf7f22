from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from entraide.directory import volunteering
from entraide.directory.volunteering import Honorability, Status, TransitionError

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
        volunteering.Application.model_validate(FORM | {"consent": False})
    with pytest.raises(ValidationError):
        volunteering.Application.model_validate(FORM | {"availability": []})


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
