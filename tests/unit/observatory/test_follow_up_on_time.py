"""A dated follow-up counts as on time when noted within a week of its due day, the same
calendar months after the start that matching schedules (contracts.followups)."""

from datetime import datetime, timedelta

from entraide.contracts.followups import PARIS
from entraide.observatory.domain.episodes import on_time_for


def paris(day: str) -> datetime:
    return datetime.fromisoformat(f"{day}T10:00").replace(tzinfo=PARIS)


def test_a_week_after_the_calendar_due_day_is_on_time_a_minute_more_is_late() -> None:
    started = paris("2026-12-01")  # due 01/01/2027 and 01/03/2027
    assert on_time_for("1-month", started, paris("2027-01-08"))  # 38 days: a 31-day month
    assert not on_time_for("1-month", started, paris("2027-01-08") + timedelta(minutes=1))
    assert on_time_for("3-month", started, paris("2027-03-08"))  # 97 days
    assert not on_time_for("3-month", started, paris("2027-03-09"))


def test_a_short_month_leaves_the_same_week() -> None:
    started = paris("2027-01-31")  # due 28/02
    assert on_time_for("1-month", started, paris("2027-03-07"))
    assert not on_time_for("1-month", started, paris("2027-03-08"))


def test_a_follow_up_with_no_date_is_never_late() -> None:
    assert on_time_for("other", paris("2026-12-01"), paris("2028-01-01"))
