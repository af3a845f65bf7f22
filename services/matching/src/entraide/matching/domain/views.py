"""Matching's rules for its read model of requests. Pure: no I/O."""

from typing import Any

from entraide.contracts.events import EventData, RequestState, RequestWithdrawn


def request_view(data: EventData, *, event_id: str) -> dict[str, Any]:
    """The read-model fields an event sets; the event's revision orders them."""
    if isinstance(data, RequestWithdrawn):
        view: dict[str, Any] = {
            "status": "withdrawn",
            "withdrawal_reason": data.reason.value,
            "family_ref": data.family_ref,
        }
    elif isinstance(data, RequestState):
        view = data.model_dump(mode="json", exclude={"request_id"})
        view["status"] = "open" if data.consent_to_matching else "no-consent"
    else:
        raise TypeError(f"not a request event: {type(data).__name__}")
    view["revision"] = data.revision
    view["last_event_id"] = event_id
    return view
