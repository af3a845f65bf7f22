"""The match lifecycle: allowed moves, expiry, follow-ups due, silence alerts."""

from datetime import timedelta

import pytest

from entraide.matching.domain.lifecycle import (
    MoveRefusedError,
    State,
    check_move,
    follow_ups_due,
    is_expired,
    silent_too_long,
)
from tests.unit.matching.factories import NOW


def test_a_proposal_is_accepted_or_declined_once_and_only_then_started() -> None:
    check_move(State.PROPOSED, State.ACCEPTED)
    check_move(State.ACCEPTED, State.STARTED)
    check_move(State.STARTED, State.CLOSED)
    for frm, to in [
        (State.DECLINED, State.ACCEPTED),
        (State.PROPOSED, State.STARTED),
        (State.CLOSED, State.STARTED),
        (State.EXPIRED, State.ACCEPTED),
    ]:
        with pytest.raises(MoveRefusedError):
            check_move(frm, to)


def test_an_unanswered_proposal_expires_at_its_deadline() -> None:
    assert not is_expired(State.PROPOSED, NOW + timedelta(seconds=1), NOW)
    assert is_expired(State.PROPOSED, NOW, NOW)
    assert not is_expired(State.ACCEPTED, NOW - timedelta(days=9), NOW)


def test_follow_ups_fall_due_after_one_and_three_months_until_recorded() -> None:
    started = NOW - timedelta(days=95)
    assert follow_ups_due(started, [], NOW) == ["1-month", "3-month"]
    assert follow_ups_due(started, ["1-month"], NOW) == ["3-month"]
    assert follow_ups_due(NOW - timedelta(days=10), [], NOW) == []


def test_six_weeks_without_contact_on_an_active_match_raise_an_alert() -> None:
    assert silent_too_long(State.STARTED, NOW - timedelta(weeks=6), NOW)
    assert not silent_too_long(State.STARTED, NOW - timedelta(weeks=5), NOW)
    assert not silent_too_long(State.CLOSED, NOW - timedelta(weeks=10), NOW)
