"""The dated follow-ups of a support (`MatchCheckedIn.kind`): when each falls due after the
match's start. Matching schedules them; the observatory counts one noted within a week of
its due day as on time: both read the due day here."""

import calendar
from datetime import datetime

from entraide.contracts.paris import PARIS

FOLLOW_UPS = (("1-month", 1), ("3-month", 3))  # each kind and its calendar months


def months_after(at: datetime, months: int) -> datetime:
    """The same Paris day and hour `months` calendar months later; a day the month lacks
    becomes its last (31/01 + 1 month = 28/02, or 29/02 in a leap year)."""
    local = at.astimezone(PARIS)
    index = local.month - 1 + months
    year, month = local.year + index // 12, index % 12 + 1
    day = min(local.day, calendar.monthrange(year, month)[1])
    return local.replace(year=year, month=month, day=day).astimezone(at.tzinfo)
