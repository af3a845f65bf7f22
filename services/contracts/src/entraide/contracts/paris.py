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
