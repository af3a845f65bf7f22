"""How a family looks as a MongoDB document, and the access rule as a query.

The only module that knows the documents: the store (`family_store`) and the unit of work
(`unit_of_work`) read and write through it. A new document carries its outbox, unleased.
"""

from datetime import date, datetime
from typing import Any

from pydantic import TypeAdapter

from entraide.contracts import CloudEvent
from entraide.contracts.events import Slot
from entraide.contracts.paris import paris_day
from entraide.contracts.vocab import ContactChannel, Need, RequestChannel, Urgency, WithdrawalReason
from entraide.intake.domain.access import Scope
from entraide.intake.domain.family import (
    Consent,
    Contact,
    Family,
    FamilySummary,
    MatchStep,
    Request,
    RequestSummary,
)
from entraide.intake.domain.requests import Sign
from entraide.kit.outbox import NEVER, outbox_entry

Doc = dict[str, Any]
# What a list shows: no identity, outbox, contacts or notes.
SUMMARY = {"identity": 0, "lookup": 0, "outbox": 0, "contacts": 0, "requests.notes": 0}
# What the unit of work never overwrites: what changes without a version (`share`,
# `note_step`, `flag_rectification`: matching's and privacy's events; the cases done, added
# to by the write that takes their flags off)
NOT_REWRITTEN = (
    "_id",
    "shared_with",
    "orientation",
    "rectifications",
    "rectifications_done",
    "version",
)
SHARING = {"_id": 1, "consent.sharing": 1, "shared_with": 1}
_TIME = TypeAdapter(datetime)
_SLOTS = TypeAdapter(list[Slot])  # one call for a request's slots, not one dump per slot


def family_document(family: Doc, request: Doc, events: list[CloudEvent[Any]]) -> Doc:
    """A new family's document: identity, first request, and its outbox, unleased."""
    return with_outbox({**family, "requests": [request]}, events)


def with_outbox(doc: Doc, events: list[CloudEvent[Any]]) -> Doc:
    """A new document with its events pending, unleased, at its first version."""
    return {
        **doc,
        "outbox": [outbox_entry(e) for e in events],
        "outbox_pending": bool(events),
        "lease_until": NEVER,
        "lease_owner": None,
        "version": 1,
    }


def scope_filter(scope: Scope) -> Doc:
    """`Scope.admits` as a query."""
    query: Doc = {}
    if scope.departements:
        query["departement"] = {"$in": sorted(scope.departements)}
    if scope.network_wide:
        return query
    if scope.association_id is None:
        return {"_id": {"$in": []}}  # no association, not network-wide: nothing
    query["$or"] = [{"association_id": scope.association_id}, {"shared_with": scope.association_id}]
    return query


def document_of(family: Family) -> Doc:
    c = family.consent
    return {
        "_id": family.id,
        "family_ref": family.family_ref,
        "association_id": family.association_id,
        "departement": family.departement,
        "identity": family.identity,
        "lookup": family.lookup,
        "possible_duplicates": family.possible_duplicates,
        "contacts": [
            {"day": x.day.isoformat(), "noted_at": x.noted_at, "channel": x.channel.value}
            | {"by": x.by, "by_name": x.by_name, "note": x.note}
            for x in family.contacts
        ],
        "children": [{"birth_year": year} for year in family.children_birth_years],
        "postal_code": family.postal_code,
        "languages": family.languages,
        "consent": {"matching": c.matching, "sharing": c.sharing, "collected_by": c.collected_by}
        | {"collected_at": _TIME.dump_python(c.collected_at, mode="json")},
        "created_at": family.created_at,
        "last_contact_at": family.last_contact_at,
        "requests": [_request_document(r) for r in family.requests],
        "shared_with": family.shared_with,
        "orientation": [step_document(step) for step in family.orientation],
        "rectifications": family.rectifications,
        "rectifications_done": family.rectifications_done,
        "written_language": family.written_language,
        "version": family.version,
    }


def step_document(step: MatchStep) -> Doc:
    """Its set fields, read as they are (`vars`, as `recording` reads a parent): every one
    is a string or a datetime, which `asdict` deep-copied for nothing (29 us a step against
    0.9 us; each family's write serialises all its steps, and the matches consumer one step
    an event)."""
    return {k: v for k, v in vars(step).items() if v is not None}


def _step_of(doc: Doc) -> MatchStep:
    return MatchStep(**{k: v for k, v in doc.items() if k in MatchStep.__dataclass_fields__})


def _contact_of(doc: Doc) -> Contact:
    """A contact, as stored now (its day, when it was noted) or before (`at`: a past day
    at noon UTC, today's at the moment it was noted, which cannot be told apart)."""
    if "day" in doc:
        day, noted_at = date.fromisoformat(doc["day"]), doc.get("noted_at")
    else:
        day, noted_at = paris_day(doc["at"]), None
    return Contact(
        day=day,
        noted_at=noted_at,
        channel=ContactChannel(doc["channel"]),
        by=doc["by"],
        by_name=doc.get("by_name"),
        note=doc["note"],
    )


def _request_document(r: Request) -> Doc:
    doc: Doc = {
        "request_id": r.request_id,
        "status": r.status,
        "revision": r.revision,
        "needs": [n.value for n in r.needs],
        "availability": _SLOTS.dump_python(r.availability, mode="json"),
        "signs": [s.value for s in r.signs],
        "urgency": r.urgency.value,
        "notes": r.notes,
        "association_id": r.association_id,
        "channel": r.channel.value,
        "submitted_at": r.submitted_at,
        "recorded_by": r.recorded_by,
    }
    if r.updated_at is not None:
        doc["updated_at"] = r.updated_at
    if r.withdrawn_at is not None:
        doc["withdrawn_at"] = r.withdrawn_at
    if r.withdrawal_reason is not None:
        doc["withdrawal_reason"] = r.withdrawal_reason.value
    return doc


def family_of(doc: Doc) -> Family:
    consent = doc["consent"]
    return Family(
        id=doc["_id"],
        family_ref=doc["family_ref"],
        association_id=doc.get("association_id"),
        departement=doc.get("departement", ""),
        identity=doc["identity"],
        lookup=doc.get("lookup", []),
        children_birth_years=[c["birth_year"] for c in doc.get("children", [])],
        postal_code=doc["postal_code"],
        languages=doc.get("languages", []),
        written_language=doc.get("written_language"),
        consent=Consent(
            matching=consent["matching"],
            sharing=consent.get("sharing", False),
            collected_by=consent["collected_by"],
            collected_at=datetime.fromisoformat(consent["collected_at"]),
        ),
        created_at=doc["created_at"],
        last_contact_at=doc["last_contact_at"],
        requests=[_request_of(r) for r in doc.get("requests", [])],
        contacts=[_contact_of(c) for c in doc.get("contacts", [])],
        possible_duplicates=doc.get("possible_duplicates", []),
        shared_with=doc.get("shared_with", []),
        orientation=[_step_of(step) for step in doc.get("orientation", [])],
        rectifications=doc.get("rectifications", []),
        rectifications_done=doc.get("rectifications_done", []),
        version=doc.get("version", 0),
    )


def _request_of(r: Doc) -> Request:
    reason = r.get("withdrawal_reason")
    return Request(
        request_id=r["request_id"],
        status=r["status"],
        revision=r["revision"],
        needs=[Need(n) for n in r["needs"]],
        availability=[Slot.model_validate(s) for s in r.get("availability", [])],
        signs=[Sign(s) for s in r.get("signs", [])],
        urgency=Urgency(r["urgency"]),
        notes=r["notes"],
        association_id=r.get("association_id"),
        channel=RequestChannel(r["channel"]),
        submitted_at=r["submitted_at"],
        recorded_by=r.get("recorded_by"),
        updated_at=r.get("updated_at"),
        withdrawn_at=r.get("withdrawn_at"),
        withdrawal_reason=None if reason is None else WithdrawalReason(reason),
    )


def summary_of(doc: Doc) -> FamilySummary:
    steps = [_step_of(step) for step in doc.get("orientation", [])]
    return FamilySummary(
        id=doc["_id"],
        association_id=doc.get("association_id"),
        departement=doc.get("departement", ""),
        created_at=doc["created_at"],
        shared_with=doc.get("shared_with", []),
        requests=[
            RequestSummary(
                r["request_id"],
                r["status"],
                [Need(n) for n in r["needs"]],
                Urgency(r["urgency"]),
                _latest_state(steps, r["request_id"]),
            )
            for r in doc.get("requests", [])
        ],
        postal_code=doc.get("postal_code", ""),
        children_birth_years=tuple(sorted(c["birth_year"] for c in doc.get("children", []))),
    )


def _latest_state(steps: list[MatchStep], request_id: str) -> str | None:
    mine = [s for s in steps if s.request_id == request_id]
    return max(mine, key=lambda s: s.at).state if mine else None
