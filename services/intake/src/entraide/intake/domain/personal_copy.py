"""What of intake's records goes into a person's copy of her data (GDPR art. 15).

Every field of the records the copy walks into is classified here, once: `SHOWN`, hers,
in her copy; or `KEPT`, intake's bookkeeping, with why it is not shown. The copy is built
from `SHOWN` only, so a new internal field never leaks into it (`owed` and `owed_to`
did, through a deny-list, until the fresh-clone CI of acf3bc1 caught them on the export
page); tests/unit/intake/test_personal_copy.py fails on a field in neither or both, so
new personal data is never silently left out of it either.

Pure Python, no I/O: the use case (`usecases/rights.py`) opens what `shown` leaves sealed
and counts other families' ids.
"""

from dataclasses import fields, is_dataclass
from typing import Any

from entraide.intake.domain.family import Consent, Contact, Family, MatchStep, Request
from entraide.intake.domain.self_requests import SelfRequest

SHOWN: dict[type, frozenset[str]] = {
    Family: frozenset(
        {
            *("id", "family_ref", "association_id", "departement"),
            "identity",  # sealed: shown opened
            *("children_birth_years", "postal_code", "languages", "consent"),
            *("created_at", "last_contact_at", "requests", "contacts"),
            # how many records it may repeat, not theirs: others' ids are not the person's
            # to read (a copy must not adversely affect others' rights, GDPR art. 15(4))
            "possible_duplicates",
            *("shared_with", "orientation", "rectifications", "written_language"),
        }
    ),
    Consent: frozenset({"matching", "sharing", "collected_by", "collected_at"}),
    Request: frozenset(
        {
            *("request_id", "status", "revision", "needs", "availability", "signs"),
            "urgency",
            "notes",  # sealed: shown opened
            *("association_id", "channel", "submitted_at", "recorded_by", "updated_at"),
            *("withdrawn_at", "withdrawal_reason"),
        }
    ),
    Contact: frozenset({"day", "noted_at", "channel", "by", "by_name", "note"}),  # note opened
    MatchStep: frozenset(
        {
            *("event_id", "request_id", "state", "at", "match_id", "association_id"),
            *("reason", "outcome", "support"),
        }
    ),
    # a request from the family's own door, waiting, confirmed or refused
    SelfRequest: frozenset(
        {
            *("family_ref", "association_id", "offer_id", "departement", "postal_code"),
            *("children_birth_years", "needs", "availability", "languages"),
            *("contact_preferences", "submitted_at", "stage"),
            "possible_duplicates",  # how many, as for the family
            *("decided_at", "decided_by", "request_id", "refusal", "language"),
            "rectifications",
        }
    ),
}
# a field and why the person's copy leaves it out
KEPT: dict[type, dict[str, str]] = {
    Family: {
        "lookup": "keyed hashes of her name, phone and e-mail (duplicate search)",
        "version": "the store's guard against stale writes",
        "events": "the events its change publishes (the topics' copy, not hers)",
        "rectified": "the rectification cases a save acts on",
        "rectifications_done": "privacy's part lists its cases and how each closed",
    },
    Consent: {},
    Request: {},
    Contact: {},
    MatchStep: {},
    SelfRequest: {
        "id": "the queue's id of the request",
        "family_id": "the record's internal id (her copy names it by its reference)",
        "sealed": "shown opened instead, as `identity`, her follow-up code left out",
        "lookup": "keyed hashes of her name, phone and e-mail (duplicates, per-contact limit)",
        "code_hash": "the hash of her follow-up code",
        "similar_pending": "how many others wait with the same contact: not hers",
        "rectifications_done": "privacy's part lists its cases and how each closed",
        "owed": "what a door decision still owes its rectification flags",
        "owed_to": "the record those flags go to (`owed`)",
        "telling_until": "a refusal's message still owed her: when her details go untold",
    },
}


def shown(record: Any) -> dict[str, Any]:
    """The fields of `record` its person is shown, in their order, the records nested in
    them shown the same way (sealed values as held: the caller opens them)."""
    allowed = SHOWN[type(record)]
    return {f.name: _value(getattr(record, f.name)) for f in fields(record) if f.name in allowed}


def _value(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return shown(value)
    if isinstance(value, list | tuple):
        return [_value(v) for v in value]
    if isinstance(value, dict):
        return {k: _value(v) for k, v in value.items()}
    return value
