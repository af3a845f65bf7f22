"""An offer's opening hours, generated from its opening_hours, in the page's language
(`Tuesday: 14:00 to 17:00`; `Mardi : 14 h 00 à 17 h 00`), the day names and connecting
words from the page's catalogs. (Distances and numbers follow the page's language through
the kit's filters: `kit.i18n.install`.)
"""

from collections.abc import Callable

from babel.lists import format_list

from entraide.contracts import labels
from entraide.directory.domain.offers import hours
from entraide.kit import i18n
from entraide.kit.i18n import N_

# « Lundi »…: the search's days (labels.DAYS, in words.txt), so already in the catalogs
DAY_NAMES = tuple(labels.DAYS.values())
SPAN = N_("%(start)s à %(end)s")  # one span of a day: « 14 h 00 à 17 h 00 »
LINE = N_("%(day)s : %(hours)s")  # one day: « Mardi : 14 h 00 à 17 h 00 »


def clock(minute: int, french: bool) -> str:
    """A time of day from its minute: `14 h 00` in French (the project's, held together by
    no-break spaces: a narrow column never breaks inside it), `14:00` elsewhere (`24 h 00`,
    `24:00` for the end of a day)."""
    hour, minutes = divmod(minute, 60)
    return f"{hour}\u00a0h\u00a0{minutes:02d}" if french else f"{hour:02d}:{minutes:02d}"


def opening_hours(text: str | None, gettext: Callable[[str], str]) -> list[str]:
    """An offer's opening_hours (valid: checked when written) as lines, one a day open,
    in the page's language (`gettext`: the route's translator)."""
    if not text:
        return []
    where = i18n.current().locale
    french = where.startswith("fr")
    lines = []
    for day, spans in hours.week(hours.parse(text)):
        said = [
            gettext(SPAN) % {"start": clock(start, french), "end": clock(end, french)}
            for start, end in spans
        ]
        line = {"day": gettext(DAY_NAMES[day]), "hours": format_list(said, locale=where)}
        lines.append(gettext(LINE) % line)
    return lines
