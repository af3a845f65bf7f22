"""An honorability check is valid through the day it names, in Paris: from midnight to 1
or 2 a.m. in Paris the server's UTC clock still reads the day before, and a check that
expired « yesterday » (Paris) must not be taken as still valid then, neither by the
batch's candidates nor by a coordinator's proposal by hand nor by the waiting list."""

from datetime import UTC, date, datetime

from entraide.matching.domain import assign
from entraide.matching.domain.rules import Unfit
from tests.unit.matching.factories import family, volunteer

# 0 h 30 on 2 December in Paris: still 1 December in UTC
AFTER_MIDNIGHT_IN_PARIS = datetime(2026, 12, 1, 23, 30, tzinfo=UTC)


def test_a_check_valid_through_yesterday_in_paris_is_expired_after_midnight() -> None:
    expired = volunteer(honorability_valid_until=date(2026, 12, 1))
    index = assign.SupportIndex([expired])
    edges, blocked = assign.candidates([family()], index, now=AFTER_MIDNIGHT_IN_PARIS)
    assert edges == []
    assert blocked == {0: Unfit.HONORABILITY}


def test_a_check_valid_through_today_in_paris_still_serves() -> None:
    valid = volunteer(honorability_valid_until=date(2026, 12, 2))
    index = assign.SupportIndex([valid])
    edges, _ = assign.candidates([family()], index, now=AFTER_MIDNIGHT_IN_PARIS)
    assert len(edges) == 1
