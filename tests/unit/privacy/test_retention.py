from datetime import UTC, datetime, timedelta

import pytest

from entraide.contracts.events import (
    ContactLogged,
    MatchCheckedIn,
    MatchProposed,
    RequestWithdrawn,
)
from entraide.contracts.vocab import ContactChannel, SubjectKind, WithdrawalReason
from entraide.privacy.domain.contacts import contacts_of
from entraide.privacy.domain.retention import RetentionPolicy, add_months, add_years

FAMILY = SubjectKind.FAMILY
POLICY = RetentionPolicy()
LAST = datetime(2026, 3, 15, 10, 0, tzinfo=UTC)


def test_data_expires_three_years_after_the_last_contact():
    assert POLICY.expires_at(FAMILY, LAST) == datetime(2029, 3, 15, 10, 0, tzinfo=UTC)
    assert POLICY.expired(FAMILY, LAST, add_years(LAST, 3) + timedelta(days=1))
    assert not POLICY.expired(FAMILY, LAST, add_years(LAST, 3) - timedelta(days=1))


def test_a_leap_day_contact_expires_on_the_last_day_of_february():
    leap = datetime(2028, 2, 29, tzinfo=UTC)
    assert add_years(leap, 3) == datetime(2031, 2, 28, tzinfo=UTC)
    assert add_months(datetime(2026, 1, 31, tzinfo=UTC), 1) == datetime(2026, 2, 28, tzinfo=UTC)


@pytest.mark.parametrize("days_before", [0, 1, 2, 200, 364, 365, 366, 1000])
def test_the_store_cutoff_never_misses_an_expired_subject(days_before):
    now = datetime(2031, 2, 28, 12, tzinfo=UTC)
    last = add_years(now, -3) - timedelta(days=days_before) + timedelta(hours=11)
    if POLICY.expired(FAMILY, last, now):
        assert last <= POLICY.cutoff(FAMILY, now)


def test_durations_are_per_kind_of_subject():
    policy = RetentionPolicy({FAMILY: 3, SubjectKind.VOLUNTEER: 1})
    now = add_years(LAST, 1) + timedelta(days=1)
    assert policy.expired(SubjectKind.VOLUNTEER, LAST, now)
    assert not policy.expired(FAMILY, LAST, now)


def test_warnings_come_a_month_then_a_week_ahead_and_once():
    expiry = POLICY.expires_at(FAMILY, LAST)
    assert POLICY.warnings_due(FAMILY, LAST, expiry - timedelta(days=31), {}) == []
    assert POLICY.warnings_due(FAMILY, LAST, expiry - timedelta(days=29), {}) == ["30d"]
    sent = {"30d": LAST}
    assert POLICY.warnings_due(FAMILY, LAST, expiry - timedelta(days=20), sent) == []
    assert POLICY.warnings_due(FAMILY, LAST, expiry - timedelta(days=6), sent) == ["7d"]
    assert POLICY.warnings_due(FAMILY, LAST, expiry, sent) == []  # expired: erase, not warn


def test_a_new_contact_resets_the_clock_and_the_warnings():
    sent = {"30d": LAST, "7d": LAST}
    newer = LAST + timedelta(days=400)
    now = POLICY.expires_at(FAMILY, LAST) - timedelta(days=3)
    assert not POLICY.expired(FAMILY, newer, now + timedelta(days=10))
    assert POLICY.warnings_due(FAMILY, newer, now, sent) == []
    later = POLICY.expires_at(FAMILY, newer) - timedelta(days=5)
    assert POLICY.warnings_due(FAMILY, newer, later, sent) == ["30d", "7d"]


def test_contacts_come_from_people_events_not_from_machine_proposals():
    at = datetime(2026, 5, 1, tzinfo=UTC)
    logged = ContactLogged(family_ref="fam-ref-0001", channel=ContactChannel.PHONE, contacted_at=at)
    assert [(c.subject_ref, c.at) for c in contacts_of(logged)] == [("fam-ref-0001", at)]
    withdrawn = RequestWithdrawn(
        request_id="req-00001",
        family_ref="fam-ref-0001",
        revision=2,
        reason=WithdrawalReason.FAMILY_CHOICE,
        withdrawn_at=at,
    )
    assert contacts_of(withdrawn)[0].at == at
    proposed = MatchProposed(
        match_id="match-0001",
        request_id="req-00001",
        family_ref="fam-ref-0001",
        association_id="afev",
        score=1.0,
        reasons=[],
        proposed_at=at,
        expires_at=at,
    )
    assert contacts_of(proposed) == []


def test_a_check_in_with_the_family_is_a_contact():
    at = datetime(2026, 6, 1, tzinfo=UTC)
    ids = {"match_id": "match-0001", "request_id": "req-00001", "family_ref": "fam-ref-0001"}
    checked = MatchCheckedIn(**ids, association_id="afev", checked_in_at=at, kind="1-month")
    assert [(c.subject_ref, c.at) for c in contacts_of(checked)] == [("fam-ref-0001", at)]
