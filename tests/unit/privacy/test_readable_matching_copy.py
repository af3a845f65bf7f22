"""Matching's part of a family's copy as its export holds it (`adapters/rights.py`: every
document naming her reference), in each state a match lives: proposed, accepted, declined,
expired, started, closed, with its follow-ups, her latest contact, her request and its wait.
A walker read « declined at » and « decline reason not-suitable » on the page, in French
and in Portuguese: every key has a label, every reason its words, in every language."""

from typing import Any

import pytest

from entraide.privacy.entrypoints.http.readable import FIELDS, Reader, document
from tests.unit.privacy.test_readable_staff_copy import _keys, reader

REF, REQUEST = "cTttTQvvEpdVTqzgbskXvA", "394a8e28592e4530a0c798557c11512e"
AT = "2026-12-01T11:35:00+00:00"


def _match(n: int, state: str, **more: Any) -> dict[str, Any]:
    return {
        "_id": f"5c0ffee0a1b2c3d4e5f6071829{n:06d}", "request_id": REQUEST, "family_ref": REF,
        "support_key": "volunteer:8r5e39JqxI-bq5r0ub0ZhA", "association_id": "parrains-par-mille",
        "departement": "44", "needs": ["parrainage-de-proximite"], "urgency": "medium",
        "state": state, "score": 0.82,
        "breakdown": {"distance": 0.9, "slots": 1.0, "language": 1.0, "continuity": 0.0,
                      "load": 0.5, "fit": 1.0, "priority": 0.5},
        "reasons": ["À 3,2 km", "2 créneaux en commun"], "distance_km": 3.2,
        "proposed_by": "online", "proposed_at": AT, "expires_at": AT, "check_ins": [],
    } | more  # fmt: skip


MATCHING = {
    "matches": [
        _match(1, "proposed", open_request=REQUEST),
        _match(2, "accepted", accepted_at=AT, last_contact_at=AT, open_request=REQUEST),
        _match(3, "declined", declined_at=AT, decline_reason="not-suitable"),
        _match(4, "expired", expired_at=AT),
        _match(5, "started", accepted_at=AT, started_at=AT, last_contact_at=AT,
               check_ins=[{"kind": "1-month", "at": AT}], open_request=REQUEST),
        _match(6, "closed", accepted_at=AT, started_at=AT, closed_at=AT, last_contact_at=AT,
               outcome="completed", check_ins=[{"kind": "1-month", "at": AT},
                                               {"kind": "3-month", "at": AT}]),
    ],
    "followups": [{
        "_id": "5c0ffee0a1b2c3d4e5f6071829000005", "request_id": REQUEST, "family_ref": REF,
        "support_key": "offer:ZmFtaWxsZS1hY3Rpb24", "association_id": "parrains-par-mille",
        "departement": "44", "state": "started", "accepted_at": AT, "started_at": AT,
        "match_contact_at": AT, "check_ins": ["1-month"], "last_contact_at": AT,
        "items": [{"kind": "3-month", "at": AT, "on": "2027-03-01"},
                  {"kind": "rupture", "at": AT, "on": "2027-01-12"}],
        "next_on": "2027-01-12", "computed_at": AT,
    }],
    "contacts": [{"_id": REF, "logged_at": AT, "family_ref": REF}],
    "requests": [{
        "_id": REQUEST, "family_ref": REF, "revision": 2, "departement": "44",
        "postal_code": "44000", "children_age_bands": ["3-5"],
        "needs": ["parrainage-de-proximite"], "availability": [{"day": "sa", "part": "morning"}],
        "languages": ["fr"], "urgency": "medium", "association_id": "parrains-par-mille",
        "channel": "family", "consent_to_matching": True, "contact_channels": ["email"],
        "signs": ["isolement-social"], "status": "open", "last_event_id": "e191b7dc",
    }],
    "waitlist": [{
        "_id": REQUEST, "reason": "no-capacity", "departement": "44",
        "needs": ["parrainage-de-proximite"], "urgency": "medium", "family_ref": REF,
        "waiting_since": AT, "since": AT,
    }],
}  # fmt: skip
EXPORT = {"generated_at": AT, "services": {"matching": MATCHING}}


def _values(part: Any) -> list[str]:
    if isinstance(part, dict):
        return [v for value in part.values() for v in _values(value)]
    if isinstance(part, list):
        return [v for value in part for v in _values(value)]
    return [str(part)]


@pytest.mark.parametrize("code", ["fr", "en", "ar", "pt", "ro"])
def test_every_key_of_matchings_export_has_a_label_in_every_language(code: str) -> None:
    words = reader(code)
    shown = document(EXPORT, words)["services"]["matching"]
    labels = {words.translate(label) for label in FIELDS.values()}
    assert _keys(shown) - labels == set(), "a key shown without a label in words"


@pytest.mark.parametrize("code", ["fr", "en", "ar", "pt", "ro"])
def test_a_declined_match_says_when_and_why_in_words(code: str) -> None:
    words = reader(code)
    shown = document(EXPORT, words)["services"]["matching"]
    values = _values(shown)
    for code_held in ("not-suitable", "no-capacity", "completed", "no-consent"):
        assert code_held not in values, code_held
    (declined,) = [m for m in shown[words.translate("Mises en relation")]
                   if words.translate("Déclinée le") in m]  # fmt: skip
    reason = declined[words.translate("Motif du refus de la proposition")]
    assert reason == words.translate("Profil ne correspondant pas")
    if code == "fr":
        assert declined["Déclinée le"] == Reader().when(AT)  # 01/12/2026 à 12 h 35
    else:  # in her language, not in French
        assert "Déclinée le" not in declined
        assert reason != "Profil ne correspondant pas"
