"""Each match event says which state the match moved to and when (`STATE`, `move()`):
intake's orientation and directory's « Mes accompagnements » read them, not a table of
their own."""

from datetime import UTC, datetime, timedelta

import pytest

from entraide.contracts.events import MatchCheckedIn, MatchEvent
from entraide.contracts.vocab import MatchOutcome

AT = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
IDS = {"match_id": "match-01", "request_id": "request-01", "family_ref": "family-01"}
MORE = {  # the fields each move needs besides its moment
    "proposed": {
        "association_id": "ppm",
        "score": 1.0,
        "reasons": [],
        "expires_at": AT + timedelta(days=7),
    },
    "declined": {"reason_code": "not-suitable"},
    "closed": {"outcome": MatchOutcome.COMPLETED},
}


def moves() -> list[type[MatchEvent]]:
    return [c for c in MatchEvent.__subclasses__() if c.STATE is not None]


def test_every_move_of_a_match_has_a_state_of_its_own() -> None:
    states = [c.STATE for c in moves()]
    assert sorted(states) == ["accepted", "closed", "declined", "expired", "proposed", "started"]


@pytest.mark.parametrize("kind", moves(), ids=lambda c: c.STATE)
def test_a_move_happens_at_its_own_moment(kind: type[MatchEvent]) -> None:
    state = kind.STATE
    event = kind(**IDS, **{f"{state}_at": AT}, **MORE.get(str(state), {}))
    assert event.move() == (state, AT)


def test_a_follow_up_is_not_a_move() -> None:
    checked = MatchCheckedIn(**IDS, checked_in_at=AT, kind="1-month")
    assert checked.STATE is None
    with pytest.raises(ValueError, match="not a move"):
        checked.move()
