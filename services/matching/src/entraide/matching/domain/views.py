"""Matching's rules for its read model of requests, and a request as the domain sees it.
Pure: no I/O."""

from datetime import datetime
from typing import Any

from entraide.contracts.events import EventData, RequestState, RequestWithdrawn
from entraide.contracts.geography import locate
from entraide.contracts.vocab import MatchOutcome
from entraide.matching.domain.model import Family

Doc = dict[str, Any]


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


def family_of(view: Doc, known_associations: frozenset[str] = frozenset()) -> Family:
    """A request read model as the domain sees it."""
    since: datetime | str = view.get("submitted_at") or view.get("updated_at") or ""
    return Family(
        request_id=view["_id"],
        family_ref=view["family_ref"],
        needs=frozenset(view["needs"]),
        departement=view["departement"],
        location=locate(view["postal_code"], view["departement"]),
        age_bands=frozenset(view.get("children_age_bands", [])),
        slots=frozenset((s["day"], s["part"]) for s in view.get("availability", [])),
        languages=frozenset(view.get("languages", [])),
        urgency=view["urgency"],
        consent=bool(view.get("consent_to_matching")) and view.get("status") == "open",
        waiting_since=datetime.fromisoformat(since) if isinstance(since, str) else since,
        known_associations=known_associations
        | ({view["association_id"]} if view.get("association_id") else frozenset()),
    )


def placeable(view: Doc) -> bool:
    """Open, its family consenting to matching: a request to propose to."""
    return view.get("status") == "open" and bool(view.get("consent_to_matching"))


def ending(view: Doc) -> MatchOutcome:
    """Why a request's open match ends: its consent to matching withdrawn (rectified, or
    the request withdrawn for that reason), or the request withdrawn."""
    if view.get("status") == "no-consent" or view.get("withdrawal_reason") == "consent-withdrawn":
        return MatchOutcome.CONSENT_WITHDRAWN
    return MatchOutcome.REQUEST_WITHDRAWN
