from pydantic import ValidationError

from entraide.contracts import parse_event
from entraide.kit.deadletter import PoisonMessageError, describe


def test_validation_reason_names_fields_but_never_quotes_values() -> None:
    try:
        parse_event(
            {
                "type": "fr.entraide.request.withdrawn.v1",
                "id": "1",
                "source": "/s",
                "time": "2026-01-01T00:00:00Z",
                "data": {"request_id": "Amina Diallo 0612345678", "reason": "x"},
            }
        )
    except ValidationError as exc:
        reason, detail = describe(exc)
    assert reason == "invalid-event"
    assert "data.reason" in detail
    assert "data.family_ref: Field required" in detail
    assert "Amina" not in detail
    assert "0612345678" not in detail


def test_other_failures_keep_only_the_exception_class() -> None:
    assert describe(KeyError("Amina Diallo")) == ("handler-failed", "KeyError")
    assert describe(PoisonMessageError("consent-missing", "no consent")) == (
        "consent-missing",
        "no consent",
    )
