"""The opening hours on an action's edit form: a week's grid, each day with up to two spans
(« de » … « à », times as the browser's time inputs send them, `14:30`), instead of
OpenStreetMap's syntax, which staff should not have to write. The grid is filled from the
stored opening_hours and read back into them: the stored value's shape does not change.
Pure: no I/O."""

import itertools
import re
from collections.abc import Mapping
from typing import NamedTuple

from entraide.directory.domain.offers import hours

SPANS = ("première", "deuxième")  # a day's spans, as the inputs' names say them
ENDS = ("de", "a")
MIDNIGHT = 24 * 60  # « à 00:00 »: until midnight, the day's end (`24:00` in opening_hours)
_TIME = re.compile(r"^(\d{1,2})(?:h|[:h](\d{2})(?::\d{2})?)?$")  # 14:30, 14:30:00, 14h30, 9h


class Span(NamedTuple):
    """One span's two inputs, and what a screen reader calls them."""

    start: str
    end: str
    said: str  # « Mardi, première plage, »: before the visible « de » and « à »


class Day(NamedTuple):
    """One day's row: its name, its spans' inputs, the key of its error."""

    label: str
    spans: tuple[Span, ...]
    error: str


def name(day: int, span: int, end: str) -> str:
    """An input's name (and id): `horaires-mardi-1-de`."""
    return f"horaires-{hours.DAY_LABELS[day]}-{span + 1}-{end}"


GRID = tuple(
    Day(
        label.capitalize(),
        tuple(
            Span(name(day, n, "de"), name(day, n, "a"), f"{label.capitalize()}, {rank} plage,")
            for n, rank in enumerate(SPANS)
        ),
        name(day, 0, "de"),  # the summary's link leads to the day's first input
    )
    for day, label in enumerate(hours.DAY_LABELS)
)
INPUTS = tuple(field for day in GRID for span in day.spans for field in (span.start, span.end))


def fill(text: str | None) -> dict[str, str] | None:
    """The grid's inputs as an opening_hours value fills them (all empty without one); None
    when the grid cannot show it (three spans on a day, spans that overlap)."""
    values = dict.fromkeys(INPUTS, "")
    for day, spans in hours.week(hours.parse(text)) if text else []:
        if len(spans) > len(SPANS) or _overlap(spans):
            return None
        for n, (start, end) in enumerate(spans):
            values[name(day, n, "de")] = hours.hhmm(start)
            values[name(day, n, "a")] = hours.hhmm(end % MIDNIGHT)
    return values


def read(form: Mapping[str, str]) -> tuple[list[hours.Slot], dict[str, str]]:
    """The weekly slots the grid says, or its errors in French by day (its error key)."""
    slots: list[hours.Slot] = []
    errors: dict[str, str] = {}
    for day, row in enumerate(GRID):
        spans: list[tuple[int, int]] = []
        for rank, span in zip(SPANS, row.spans, strict=True):
            found = _span(form.get(span.start, ""), form.get(span.end, ""), rank)
            if isinstance(found, str):
                errors[row.error] = f"{row.label} : {found}"
                break
            spans += [found] if found else []
        else:
            if _overlap(sorted(spans)):
                errors[row.error] = f"{row.label} : les deux plages se chevauchent."
            slots += [(day, start, end) for start, end in spans]
    return sorted(slots), errors


def stored(slots: list[hours.Slot], current: str | None) -> str | None:
    """What to store for the grid's slots: the current value itself when it says the same
    (saved as it was written) or when the grid could not show it and was left empty (kept,
    as the form says); else the slots' opening_hours, None for none."""
    if current and (hours.parse(current) == slots or (not slots and fill(current) is None)):
        return current
    return hours.write(slots) or None


def _span(start: str, end: str, rank: str) -> tuple[int, int] | str | None:
    """One span's minutes, None if both inputs are empty, or what is wrong with it."""
    start, end = start.strip(), end.strip()
    if not (start or end):
        return None
    if not end:
        return f"indiquez l'heure de fin de la {rank} plage."
    if not start:
        return f"indiquez l'heure de début de la {rank} plage."
    first, last = _minute(start), _minute(end)
    if first is None or last is None:
        return f"heure non comprise dans la {rank} plage : écrivez-la comme 14:30."
    last = last or MIDNIGHT
    if last <= first:
        return "l'heure de fin doit suivre l'heure de début."
    return first, last


def _minute(typed: str) -> int | None:
    match = _TIME.match(typed)
    if not match:
        return None
    hour, minute = int(match[1]), int(match[2] or 0)
    return hour * 60 + minute if hour < 24 and minute < 60 else None


def _overlap(spans: list[tuple[int, int]]) -> bool:
    return any(later[0] < earlier[1] for earlier, later in itertools.pairwise(spans))
