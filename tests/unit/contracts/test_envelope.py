import json
from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from entraide.contracts import UnknownEventTypeError, new_event, parse_event
from entraide.contracts.events import RequestWithdrawn
from entraide.contracts.vocab import WithdrawalReason


def withdrawn() -> RequestWithdrawn:
    return RequestWithdrawn(
        request_id="r" * 32,
        family_ref="f" * 22,
        revision=2,
        reason=WithdrawalReason.FAMILY_CHOICE,
        withdrawn_at=datetime(2026, 1, 2, tzinfo=UTC),
    )


def test_event_round_trips_through_json_with_its_declared_type() -> None:
    event = new_event(withdrawn(), source="/entraide/intake", subject="f" * 22)
    parsed = parse_event(event.model_dump_json())
    assert parsed.type == "fr.entraide.request.withdrawn.v1"
    assert parsed.specversion == "1.0"
    assert parsed.data == withdrawn()
    assert parsed.id == event.id


def test_unknown_type_is_refused_by_name() -> None:
    raw = json.loads(new_event(withdrawn(), source="/x", subject="s").model_dump_json())
    raw["type"] = "fr.entraide.request.teleported.v1"
    with pytest.raises(UnknownEventTypeError, match="teleported"):
        parse_event(raw)


def test_invalid_payload_names_the_field() -> None:
    raw = json.loads(new_event(withdrawn(), source="/x", subject="s").model_dump_json())
    raw["data"]["reason"] = "bored"
    with pytest.raises(ValidationError) as caught:
        parse_event(raw)
    assert [err["loc"] for err in caught.value.errors()] == [("data", "reason")]


def test_a_newer_producer_s_extra_fields_do_not_break_a_v1_consumer() -> None:
    raw = json.loads(new_event(withdrawn(), source="/x", subject="s").model_dump_json())
    raw["data"]["added_later"] = "optional field from a later v1"
    raw["partitionkey"] = "an extension attribute"
    assert parse_event(raw).data.revision == 2
