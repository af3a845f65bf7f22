import json
from datetime import UTC, datetime

import pytest
from pydantic import SecretStr

from entraide.contracts.compat import breaking_changes
from entraide.intake.domain import partners
from entraide.intake.domain.partners import Partner
from entraide.intake.entrypoints.partner_event import json_schema
from entraide.intake.entrypoints.partner_schema import SCHEMA_FILE, rendered

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
CAF = Partner(secret=SecretStr("s3cret"), source="urn:entraide:partner:caf-44")
BODY = b'{"specversion":"1.0"}'


def signed(timestamp: float = NOW.timestamp(), body: bytes = BODY) -> tuple[str, str]:
    ts = str(int(timestamp))
    return ts, partners.signature("s3cret", ts, body)


def problem(partner=CAF, timestamp=None, given=None, body=BODY) -> str | None:
    ts, sig = signed()
    return partners.signature_problem(
        partner, timestamp or ts, given or sig, body, now=NOW, tolerance_s=300
    )


def test_a_correct_signature_passes() -> None:
    assert problem() is None


@pytest.mark.parametrize(
    ("case", "code"),
    [
        ({"partner": None}, "unknown-partner"),
        ({"given": "sha256=00"}, "bad-signature"),
        ({"body": b'{"specversion":"1.1"}'}, "bad-signature"),
        ({"timestamp": "yesterday"}, "bad-timestamp"),
    ],
)
def test_tampering_is_refused_with_a_code(case: dict, code: str) -> None:
    assert problem(**case) == code


def test_a_replay_outside_the_window_is_refused() -> None:
    ts, sig = signed(NOW.timestamp() - 301)
    assert partners.signature_problem(CAF, ts, sig, BODY, now=NOW, tolerance_s=300) == (
        "stale-timestamp"
    )


def test_missing_headers_are_named() -> None:
    assert partners.signature_problem(CAF, None, None, BODY, now=NOW, tolerance_s=300) == (
        "missing-signature"
    )


def test_a_request_with_no_signature_headers_at_all_is_missing_signature_not_unknown() -> None:
    """No X-Entraide-* header: the partner forgot to sign, whoever it is."""
    assert partners.signature_problem(None, None, None, BODY, now=NOW, tolerance_s=300) == (
        "missing-signature"
    )
    ts, sig = signed(NOW.timestamp())
    assert partners.signature_problem(None, ts, sig, BODY, now=NOW, tolerance_s=300) == (
        "unknown-partner"
    )


def test_the_same_event_always_maps_to_the_same_family_and_sources_never_collide() -> None:
    assert partners.family_id("urn:a", "1") == partners.family_id("urn:a", "1")
    assert partners.family_id("urn:a", "1") != partners.family_id("urn:b", "1")


def test_published_partner_schema_is_fresh_and_compatible() -> None:
    committed = json.loads(SCHEMA_FILE.read_text())
    assert breaking_changes(committed, json_schema()) == []
    assert SCHEMA_FILE.read_text() == rendered(), "run: make contracts"
