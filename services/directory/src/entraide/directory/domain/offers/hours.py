"""Opening hours in OpenStreetMap's `opening_hours` syntax (the subset offers need).

Supported: `24/7`, and rules such as `Mo-Fr 09:00-12:00,14:00-17:30; Sa 10:00-12:00`
(day ranges and lists, several time ranges, `off`), read as OpenStreetMap reads them: a
later rule replaces an earlier one's hours for its days (`Mo-Fr 16:30-19:00; We
14:00-18:00`: Wednesday from 14:00 to 18:00 only). Anything else is refused, so what is
stored always means what families read. Pure: no I/O.
"""

import re
from collections.abc import Sequence

from entraide.contracts import labels

DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
DAY_LABELS = tuple(labels.in_sentence(day) for day in labels.DAYS.values())  # Monday first
Slot = tuple[int, int, int]  # day index (Monday = 0), start minute, end minute
_RULE = re.compile(r"^(?P<days>[A-Za-z,\-]+)\s+(?P<times>off|[0-9:,\-\s]+)$")
_TIME = re.compile(r"^(\d{2}):(\d{2})-(\d{2}):(\d{2})$")


class HoursError(ValueError):
    """Not in the supported opening_hours syntax."""


def parse(text: str) -> list[Slot]:
    """The weekly slots an opening_hours string describes."""
    text = text.strip()
    if text == "24/7":
        return [(day, 0, 24 * 60) for day in range(7)]
    slots: list[Slot] = []
    for rule in filter(None, (part.strip() for part in text.split(";"))):
        match = _RULE.match(rule)
        if not match:
            raise HoursError(f"règle non comprise : {rule!r}")
        days = _days(match["days"])
        slots = [s for s in slots if s[0] not in days]  # a later rule replaces the day's hours
        if match["times"].strip() == "off":
            continue
        for span in match["times"].split(","):
            start, end = _span(span.strip())
            slots += [(day, start, end) for day in days]
    if not slots:
        raise HoursError("aucun horaire")
    return sorted(set(slots))


def write(slots: Sequence[Slot]) -> str:
    """The opening_hours text of weekly slots, each day in one rule only (days with the same
    spans together: `Mo-Fr 09:00-12:00,14:00-17:00; Sa 10:00-12:00`)."""
    rules: dict[tuple[tuple[int, int], ...], list[int]] = {}
    for day, spans in week(slots):
        rules.setdefault(tuple(spans), []).append(day)
    return "; ".join(
        f"{_day_list(days)} {','.join(f'{hhmm(s)}-{hhmm(e)}' for s, e in spans)}"
        for spans, days in rules.items()
    )


def is_open(slots: Sequence[Slot], day: int, minute: int | None) -> bool:
    """Open on that day (at that minute, if given)."""
    return any(d == day and (minute is None or start <= minute < end) for d, start, end in slots)


def week(slots: Sequence[Slot]) -> list[tuple[int, list[tuple[int, int]]]]:
    """The open days, Monday first, each with its spans (start and end minutes) in order:
    what a page writes in its own language."""
    days = [(day, sorted((s, e) for d, s, e in slots if d == day)) for day in range(7)]
    return [(day, spans) for day, spans in days if spans]


def clock(minute: int) -> str:
    """A time of day as French writes it: `14 h`, `13 h 30` (`24 h`: a day's end), held
    together by no-break spaces, so a narrow column never breaks inside it."""
    hour, minutes = divmod(minute, 60)
    return f"{hour}\u00a0h\u00a0{minutes:02d}" if minutes else f"{hour}\u00a0h"


def describe(slots: Sequence[Slot]) -> list[str]:
    """French lines, one a day: `mercredi de 14 h à 18 h`, `vendredi de 9 h à 12 h et de
    13 h 30 à 17 h` (the API's, and the offer's French page's; in another language the
    page writes them from its catalogs: `entrypoints.http.in_language`)."""
    return [f"{DAY_LABELS[day]} {_spans(spans)}" for day, spans in week(slots)]


def summary(slots: Sequence[Slot]) -> str:
    """French, in a sentence, days in a row with the same hours together: `du lundi au
    vendredi de 9 h à 12 h et de 14 h à 17 h ; samedi de 10 h à 12 h` (the association's
    space)."""
    runs: list[tuple[int, int, list[tuple[int, int]]]] = []  # first day, last day, spans
    for day, spans in week(slots):
        if runs and runs[-1][1] == day - 1 and runs[-1][2] == spans:
            runs[-1] = (runs[-1][0], day, spans)
        else:
            runs.append((day, day, spans))
    return " ; ".join(f"{_run(first, last)} {_spans(spans)}" for first, last, spans in runs)


def _spans(spans: Sequence[tuple[int, int]]) -> str:
    return " et ".join(f"de {clock(start)} à {clock(end)}" for start, end in spans)


def _run(first: int, last: int) -> str:
    if first == last:
        return DAY_LABELS[first]
    if last == first + 1:
        return f"{DAY_LABELS[first]} et {DAY_LABELS[last]}"
    return f"du {DAY_LABELS[first]} au {DAY_LABELS[last]}"


def _days(spec: str) -> list[int]:
    found: list[int] = []
    for part in spec.split(","):
        ends = part.split("-")
        if len(ends) > 2 or any(end not in DAYS for end in ends):
            raise HoursError(f"jours non compris : {part!r}")
        first, last = DAYS.index(ends[0]), DAYS.index(ends[-1])
        found += (
            list(range(first, last + 1)) if first <= last else [*range(first, 7), *range(last + 1)]
        )
    return found


def _span(span: str) -> tuple[int, int]:
    match = _TIME.match(span)
    if not match:
        raise HoursError(f"plage horaire non comprise : {span!r}")
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    start, end = h1 * 60 + m1, h2 * 60 + m2
    if not (0 <= start < end <= 24 * 60 and m1 < 60 and m2 < 60):
        raise HoursError(f"plage horaire impossible : {span!r}")
    return start, end


def _day_list(days: Sequence[int]) -> str:
    """`Mo-We,Fr`: days in a row as a range (three or more), the others listed."""
    runs: list[list[int]] = []
    for day in days:
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    return ",".join(
        f"{DAYS[run[0]]}-{DAYS[run[-1]]}" if len(run) > 2 else ",".join(DAYS[d] for d in run)
        for run in runs
    )


def hhmm(minute: int) -> str:
    """A time of day as opening_hours writes it: `14:00` (`24:00`: a day's end)."""
    return f"{minute // 60:02d}:{minute % 60:02d}"
