"""Property-based fuzzing of the partner event parser and the staff form parser.

Whatever arrives, the partner parser gives an event or a ValidationError that the Kafka
door dead-letters as `not-json` or `invalid-event` naming fields, never values; the form
parser gives a request or one French message per known field, never the input back.
"""

import json
from datetime import UTC, datetime

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from starlette.datastructures import FormData

from entraide.intake.domain.partners import Partner, signature, signature_problem
from entraide.intake.entrypoints.http import forms
from entraide.intake.entrypoints.partner_event import PartnerEvent
from entraide.kit.deadletter import describe
from tests.integration.test_partner_doors import partner_event

FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
NOW = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
MARK = "Zébulon🦄\u202e\u0000"  # a value we can look for in any message (RTL override, NUL)
VALID = json.loads(partner_event("urn:entraide:partner:caf-44", "e-1"))

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


def _paths(doc: object, prefix: tuple = ()) -> list[tuple]:
    found = [prefix] if prefix else []
    if isinstance(doc, dict):
        for key, value in doc.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(doc, list):
        for i, value in enumerate(doc):
            found += _paths(value, (*prefix, i))
    return found


PATHS = _paths(VALID)


def _outcome(raw: bytes) -> None:
    """Parse like both doors; a refusal must be a ValidationError the DLQ can describe."""
    try:
        PartnerEvent.model_validate_json(raw)
    except ValidationError as exc:
        reason, detail = describe(exc)
        assert reason in ("not-json", "invalid-event")
        assert MARK not in detail


@FUZZ
@given(st.binary(max_size=2000))
@example(b"\xff\xfe{}")
@example(b'{"specversion": "1.0"' + b" " * 10_000)
@example(b"[" * 5000)  # deep nesting
def test_any_bytes_give_an_event_or_a_describable_refusal(raw: bytes) -> None:
    _outcome(raw)


@FUZZ
@given(st.sampled_from(PATHS), json_values | st.just(MARK) | st.just({"x": MARK}))
def test_one_field_replaced_by_anything_gives_an_event_or_names_the_field(
    path: tuple, value: object
) -> None:
    doc = json.loads(json.dumps(VALID))
    target = doc
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    _outcome(json.dumps(doc).encode())


@FUZZ
@given(st.text(), st.binary(max_size=300), st.text(max_size=80), st.text(max_size=80))
def test_a_signature_check_never_raises_and_only_the_right_one_passes(
    secret: str, body: bytes, timestamp: str, given_signature: str
) -> None:
    partner = Partner(secret=secret, source="urn:x")
    problem = signature_problem(partner, timestamp, given_signature, body, now=NOW, tolerance_s=300)
    assert problem in (
        None,
        "missing-signature",
        "bad-timestamp",
        "stale-timestamp",
        "bad-signature",
    )
    if problem is None:
        assert given_signature == signature(secret, timestamp, body)


FIELD_NAMES = set(forms.TEXT_FIELDS) | set(forms.LIST_FIELDS) | set(forms.BOXES)
form_items = st.lists(
    st.tuples(
        st.sampled_from([*sorted(FIELD_NAMES), "csrf", "autre", ""]),
        st.text(max_size=300) | st.just(MARK) | st.sampled_from(["oui", "we-afternoon", "44000"]),
    ),
    max_size=40,
)


@FUZZ
@given(form_items)
@example([("children", "2019" * 500), ("parent.first_name", MARK)])
@example([("availability", "-"), ("availability", "lundi-matin-soir")])
def test_any_form_gives_a_request_or_french_errors_on_known_fields(items) -> None:
    values = forms.values_of(FormData(items))
    parsed = forms.parse(values, collected_by="Claire (PPM)", now=NOW)
    assert (parsed.request is None) == bool(parsed.errors)
    for name, message in parsed.errors.items():
        assert name.split(".")[0] in {f.split(".")[0] for f in FIELD_NAMES}, name
        assert MARK not in message
        assert message  # a message a person can read
    assert parsed.values == values  # what was typed comes back to the form, nothing else
