"""France's clock. The network's days are days in Paris, while the servers' clock and the
store's moments are UTC: from midnight to 1 or 2 a.m. in Paris, UTC's date is still
yesterday. Every service reads a moment's day here, so none takes it from UTC or from the
machine's own time zone."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")


def in_paris(at: datetime) -> datetime:
    """A moment in Paris time; a naive one (as the store gives them back) is UTC, never the
    machine's local time."""
    return (at if at.tzinfo else at.replace(tzinfo=UTC)).astimezone(PARIS)


def paris_day(at: datetime) -> date:
    """The day a moment falls on in Paris."""
    return in_paris(at).date()


def add_months(at: datetime, months: int) -> datetime:
    """The same day `months` later (or earlier), the month's last day if it has none."""
    index = at.year * 12 + at.month - 1 + months
    year, month = divmod(index, 12)
    for day in (at.day, 30, 29, 28):
        try:
            return at.replace(year=year, month=month + 1, day=min(at.day, day))
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has a 28th")


def add_years(at: datetime, years: int) -> datetime:
    """The same day `years` later (or earlier): 28 February for a 29th in another year.
    Privacy's retention sweep and the owners' own passes (intake's door, directory's
    applications) count the network's years with it, so they agree on the day."""
    return add_months(at, 12 * years)


def years_before(at: datetime, years: int) -> datetime:
    """The same day `years` earlier (the 28th for a 29 February)."""
    return add_years(at, -years)
