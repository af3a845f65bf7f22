"""An offer's opening hours, generated from its opening_hours, in the page's language: in
French the domain's lines, the API's (`Mardi de 14 h à 17 h`), elsewhere the day names and
connecting words from the page's catalogs (`Tuesday: 14:00 to 17:00`). (Distances and
numbers follow the page's language through the kit's filters: `kit.i18n.install`.)
"""

from collections.abc import Callable

from babel.lists import format_list

from entraide.contracts import labels
from entraide.directory.domain.offers import hours
from entraide.kit import i18n
from entraide.kit.i18n import N_

# « Lundi »…: the search's days (labels.DAYS, in words.txt), so already in the catalogs
DAY_NAMES = tuple(labels.DAYS.values())
SPAN = N_("%(start)s à %(end)s")  # one span of a day, outside French: « 14:00 to 17:00 »
LINE = N_("%(day)s : %(hours)s")  # one day, outside French: « Tuesday: 14:00 to 17:00 »


def clock(minute: int) -> str:
    """A time of day outside French: `14:00` (`24:00`: a day's end; French: `hours.clock`)."""
    return hours.hhmm(minute)


def opening_hours(text: str | None, gettext: Callable[[str], str]) -> list[str]:
    """An offer's opening_hours (valid: checked when written) as lines, one a day open,
    in the page's language (`gettext`: the route's translator)."""
    if not text:
        return []
    where = i18n.current().locale
    slots = hours.parse(text)
    if where.startswith("fr"):
        return [line[0].upper() + line[1:] for line in hours.describe(slots)]
    lines = []
    for day, spans in hours.week(slots):
        said = [gettext(SPAN) % {"start": clock(start), "end": clock(end)} for start, end in spans]
        line = {"day": gettext(DAY_NAMES[day]), "hours": format_list(said, locale=where)}
        lines.append(gettext(LINE) % line)
    return lines
