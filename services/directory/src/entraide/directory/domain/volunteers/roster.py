"""The order the association's space lists its volunteers in: what waits for the coordinator
first (new applications, those under review, a rectification asked through the DPO, an
honorability check to renew), then everyone else, the latest application first.

The store pages through this order itself (`adapters.volunteers.roster`, one query per
tier with its sort), from a page's start or from a `Mark` (the API's cursor); `ordered`
and `follows` are the same order over documents in memory (the unit tests' fakes). Pure:
no I/O.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from entraide.directory.domain.volunteers.rules import Honorability, Status

PAGE_SIZE = 20
# a check that runs out within two months is renewed now: the attestation takes weeks
RENEW_WITHIN = timedelta(days=60)
WAITING = (Status.APPLIED, Status.IN_REVIEW)  # the review is the association's to do
WORKING = (Status.APPROVED, Status.PAUSED)  # a family may be proposed to them


@dataclass(frozen=True)
class Tier:
    """A part of the list: its name and its order (fields, 1 ascending or -1 descending;
    the `_id` last, so that pages neither repeat nor skip anyone)."""

    name: str
    sort: tuple[tuple[str, int], ...]


OLDEST_FIRST = (("applied_at", 1), ("_id", 1))
TIERS = (
    Tier("applied", OLDEST_FIRST),  # nobody has looked yet: the longest waiting first
    Tier("in-review", OLDEST_FIRST),
    Tier("rectify", OLDEST_FIRST),  # a rectification the DPO passed on
    # the check already expired first, then the one expiring soonest
    Tier("renew", (("honorability_valid_until", 1), *OLDEST_FIRST)),
    Tier("others", (("applied_at", -1), ("_id", -1))),
)


def renew_before(today: date) -> str:
    """A check valid until before this day (ISO, as stored) is to renew."""
    return (today + RENEW_WITHIN).isoformat()


def flagged(doc: dict[str, Any]) -> bool:
    return bool(doc.get("rectifications"))


def to_renew(doc: dict[str, Any], today: date) -> bool:
    """Working with families, and their check not cleared, or valid less than two months."""
    if doc["status"] not in WORKING:
        return False
    if doc["honorability"] != Honorability.CLEARED:
        return True
    valid = doc.get("honorability_valid_until")
    return isinstance(valid, str) and valid < renew_before(today)


def tier_of(doc: dict[str, Any], today: date) -> str:
    """The tier a volunteer's document is listed in."""
    if doc["status"] in WAITING:
        return str(doc["status"])
    if flagged(doc):
        return "rectify"
    return "renew" if to_renew(doc, today) else "others"


def ordered(docs: Iterable[dict[str, Any]], today: date) -> list[dict[str, Any]]:
    """The documents in the space's order (a field missing sorts first, as in the store)."""
    found = list(docs)
    listed: list[dict[str, Any]] = []
    for tier in TIERS:
        part = [d for d in found if tier_of(d, today) == tier.name]
        for name, direction in reversed(tier.sort):  # stable: the first field last
            part.sort(key=lambda d: _sortable(d.get(name)), reverse=direction < 0)
        listed += part
    return listed


@dataclass(frozen=True)
class Mark:
    """A place in the order of `day`: just after the volunteer whose tier and sort values
    (`Tier.sort`'s fields, `_id` last) these are. Whoever comes after it stays after it:
    newcomers and changes elsewhere in the list neither repeat nor skip anyone."""

    day: date
    tier: str
    values: tuple[Any, ...]


def mark_of(doc: dict[str, Any], day: date) -> Mark:
    """The place just after this volunteer's document in the order of `day`."""
    tier = tier_of(doc, day)
    fields = next(t.sort for t in TIERS if t.name == tier)
    return Mark(day, tier, tuple(doc.get(name) for name, _ in fields))


def follows(doc: dict[str, Any], mark: Mark) -> bool:
    """Whether the document comes after the mark, in the order of the mark's day."""
    names = [t.name for t in TIERS]
    mine, theirs = names.index(tier_of(doc, mark.day)), names.index(mark.tier)
    if mine != theirs:
        return mine > theirs
    for (name, direction), value in zip(TIERS[mine].sort, mark.values, strict=True):
        here, there = _sortable(doc.get(name)), _sortable(value)
        if here != there:
            return here > there if direction > 0 else here < there
    return False  # the marked volunteer themselves


def _sortable(value: Any) -> tuple[bool, Any]:
    return (False, "") if value is None else (True, value)


def postal_ranges(territories: Iterable[str]) -> list[tuple[str, str]]:
    """The postal codes of these départements, as ranges [from, to) of text (the inverse of
    `departements.of_postal_code`: Corsica splits at 20200, overseas has three digits)."""
    corsica = {"2A": ("20", "20200"), "2B": ("20200", "21")}
    return [
        corsica[code] if code in corsica else (code, str(int(code) + 1).zfill(len(code)))
        for code in territories
    ]
