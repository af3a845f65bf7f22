"""French formats for every page, through Babel: dates, Paris times, decimals, distances,
counts; and a French phone number in pairs, as it is said. One set of Jinja filters (`install`), the same functions for the Python side; a
long day, a decimal and a count also in another language's way (a Babel `locale`: the
page language's, `i18n.Language.locale`), a moment also as `29/11/2026 19:04`.

Stored moments are UTC (the store hands them back aware; a naive one is taken as UTC);
people read them in Paris time, and where the hour matters the page says so.
"""

import re
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, date, datetime
from decimal import Decimal

from babel.dates import format_date, format_time
from babel.numbers import format_decimal
from jinja2 import Environment

from entraide.contracts.paris import in_paris, paris_day

LOCALE = "fr_FR"
ZONE = "heure de Paris"
Day = date | datetime | str
FRENCH_PHONE = re.compile(r"^(?:\+33|0033|0)([1-9]\d{8})$")


def paris(at: datetime | str) -> datetime:
    """A stored moment (aware, naive UTC, or its ISO text) in Paris time."""
    return in_paris(datetime.fromisoformat(at) if isinstance(at, str) else at)


def today(now: datetime | None = None) -> date:
    """The day it is in Paris (the server's clock is UTC: from midnight to 1 or 2 a.m. in
    Paris, its `date.today()` is still yesterday)."""
    return paris_day(now or datetime.now(UTC))


def day(on: Day | None) -> str:
    """`29/11/2026`; a moment counts by its day in Paris, an ISO day as it is."""
    return _day(on, "dd/MM/yyyy")


def long_day(on: Day | None, locale: str = LOCALE) -> str:
    """`29 novembre 2026`, `1er août 2026` (in another `locale`, its own long date:
    `29 November 2026`, `29 de novembro de 2026`)."""
    text = _day(on, "long", locale)
    if locale.startswith("fr") and text.startswith("1 "):  # French says the first day so
        return "1er" + text[1:]
    return text


def _day(on: Day | None, pattern: str, locale: str = LOCALE) -> str:
    if on is None or on == "":
        return "—"
    if isinstance(on, str):
        on = date.fromisoformat(on) if len(on) == 10 else paris(on)
    if isinstance(on, datetime):
        on = paris(on).date()
    return format_date(on, pattern, locale=locale)


def hour(at: datetime | str) -> str:
    """`19 h 04`, in Paris, with ordinary spaces: an SMS's hour (the SMS alphabet, GSM 7-bit,
    has no no-break space: one would send the whole message as Unicode, in more parts).
    On a page or in an e-mail, `when`'s hour does not break."""
    return format_time(paris(at), "H' h 'mm", locale=LOCALE)


def when(at: datetime | str | None, *, zone: bool = False) -> str:
    """`29/11/2026 à 19 h 04` in Paris; with `zone`, `(heure de Paris)` after it. The hour
    and its « à » are held together by no-break spaces (U+00A0): a narrow column breaks
    after the day, never inside « 19 h 04 »."""
    if at is None or at == "":
        return "—"
    local = paris(at)
    clock = hour(local).replace(" ", "\u00a0")
    text = f"{day(local)} à\u00a0{clock}"
    return f"{text} ({ZONE})" if zone else text


def clock(at: datetime | str) -> str:
    """`19:04`, in Paris: the hour outside French."""
    return paris(at).strftime("%H:%M")


def day_and_clock(at: datetime | str) -> str:
    """`29/11/2026 19:04`, in Paris: a moment outside French."""
    return f"{day(paris(at))} {clock(at)}"


def decimal(value: float | int | Decimal | None, digits: int = 1, locale: str = LOCALE) -> str:
    """`2,10` (digits after the comma, always shown; `2.10` in English); `—` for nothing."""
    if value is None:
        return "—"
    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
    return format_decimal(value + 0, pattern, locale=locale)  # + 0: no "-0,00"


# the kilometre's symbol where it is not « km » (Babel's short unit): an Arabic page read
# « على بعد 0.6 km » under a distance field labelled « (كم) »
KM = {"ar": "كم"}


def km(value: float | int | None, locale: str = LOCALE) -> str:
    """A distance: `0,4 km`, `12,0 km` (in another `locale`, its decimal and symbol:
    `0.4 km`, `0.4 كم`)."""
    if value is None:
        return "—"
    return f"{decimal(value, 1, locale)}\u00a0{KM.get(locale.split('_')[0], 'km')}"


def number(value: int | float | None, locale: str = LOCALE) -> str:
    """A count: `1 234` (the French thin space between thousands; `1,234` in English)."""
    return "—" if value is None else format_decimal(value, "#,##0.###", locale=locale)


def count(value: int, singular: str, plural: str | None = None) -> str:
    """`0 famille`, `1 famille`, `3 familles` (French: 0 and 1 are singular)."""
    word = singular if abs(value) < 2 else (plural or singular + "s")
    return f"{number(value)} {word}"


def reference(record_id: str) -> str:
    """How staff name a request or a match on the phone: its id's first 8 characters in
    two groups (« 006b 01dc »), the same on every service's pages; never the 32-hex id."""
    return f"{record_id[:4]} {record_id[4:8]}"


def phone(text: str | None) -> str:
    """A French number in pairs, as it is said (`06 11 22 33 99`, `+33 6 11 22 33 99`),
    however it was typed (`0611223399`, `06.11.22.33.99`); any other as it was typed."""
    if not text:
        return ""
    typed = re.sub(r"[\s.()-]", "", text)
    found = FRENCH_PHONE.match(typed)
    if found is None:
        return text
    digits = found.group(1)
    pairs = " ".join(digits[n : n + 2] for n in range(1, 9, 2))
    if typed.startswith("0") and not typed.startswith("00"):
        return f"0{digits[0]} {pairs}"
    return f"+33 {digits[0]} {pairs}"


# items of a list of labels (needs, languages, slots) set apart by a semicolon: a label may
# hold a comma (« Répit, garde ponctuelle »), and Arabic's (« ، ») too, so Arabic's own
# semicolon there; French puts a space before it
SEPARATORS = {"fr": " ; ", "ar": "\u061b "}
# the parts of one line (an action's place, distance, ages) or a few names set apart by the
# language's comma, Arabic's own (« ، »): CLDR's list patterns (Babel's `format_list`) have
# none in Arabic without « و » (and), so it is named here
COMMAS = {"ar": "\u060c "}


def comma(locale: str = LOCALE) -> str:
    """The comma between a line's parts in `locale`'s language (« , »; « ، » in Arabic)."""
    return COMMAS.get(locale.split("_")[0], ", ")


def listed(
    items: Iterable[object] | None,
    words: Mapping[str, str] | Callable[[str], str] | None = None,
    locale: str = LOCALE,
) -> str:
    """Labels as one list that no comma inside a label can split (« Parrainage de
    proximité ; Répit, garde ponctuelle »); each item through `words` if given (a mapping,
    or a function such as a page's `translate`)."""
    said = [_word(str(i), words) for i in items or ()]
    return SEPARATORS.get(locale.split("_")[0], "; ").join(said)


def _word(item: str, words: Mapping[str, str] | Callable[[str], str] | None) -> str:
    if words is None:
        return item
    return str(words(item) if callable(words) else words.get(item, item))


FILTERS: dict[str, Callable[..., str]] = {
    "day": day,
    "long_day": long_day,
    "hour": hour,
    "when": when,
    "decimal": decimal,
    "km": km,
    "number": number,
    "count": count,
    "reference": reference,
    "phone": phone,
    "listed": listed,
}


def install(env: Environment) -> None:
    """Give a Jinja environment the French filters (and `ZONE` for the hint texts)."""
    env.filters.update(FILTERS)
    env.globals["PARIS_ZONE"] = ZONE
