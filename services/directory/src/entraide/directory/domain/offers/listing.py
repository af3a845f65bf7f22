"""The order the association's space lists its actions in: those to update first (hidden
from families, then to confirm, then up to date: `fields.freshness`), each part by name
then commune as people order them (« Paris 2e » before « Paris 19e », « Île-de-France »
among the I), the `_id` last, so that pages neither repeat nor skip an action.

An offer's freshness changes with the days, so it is not stored: each part is a range of
`updated_at` (`updated_range`). The order inside a part is a stored key (`sort_key`,
written with each offer's state: `events.offer_document`), which the store sorts on by
itself. The store reads, of each part, the slice a page needs (`slices`;
`adapters.offers.listing`), or what follows a `Mark` (the API's cursor); `ordered` is the
same order over documents in memory.
Pure: no I/O.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from entraide.directory.domain.offers.fields import (
    HIDDEN_AFTER,
    REMINDER_AFTER,
    Freshness,
    freshness,
)
from entraide.directory.domain.places import natural_text

PAGE_SIZE = 20
STALEST_FIRST = (Freshness.HIDDEN, Freshness.REMINDER, Freshness.FRESH)
SORT = (("sort_key", 1), ("_id", 1))  # inside a part
# between the name's key and the commune's: below any character of a name as typed
_FIELDS = "\x01"
# the version of `sort_key`'s recipe: change the recipe, add one, and the next start
# writes the new keys on the offers stored before (`adapters.offers.listing.rekey`)
KEY_VERSION = 1


def sort_key(nom: str, commune: str) -> str:
    """The offer's place in its part: its name, then its commune, in natural order."""
    return f"{natural_text(nom)}{_FIELDS}{natural_text(commune)}"


def updated_range(state: Freshness, now: datetime) -> tuple[datetime | None, datetime | None]:
    """The `updated_at` of the offers in this state at `now`: after the first moment, up
    to the second included (None: no bound)."""
    hidden_until, reminder_until = now - HIDDEN_AFTER, now - REMINDER_AFTER
    return {
        Freshness.HIDDEN: (None, hidden_until),
        Freshness.REMINDER: (hidden_until, reminder_until),
        Freshness.FRESH: (reminder_until, None),
    }[state]


def slices(counts: Sequence[int], start: int, size: int) -> list[tuple[int, int, int]]:
    """What to read of parts of these sizes, one after the other, for the `size` items
    from `start`: (part, items skipped in it, items read), the parts with none left out."""
    found = []
    for part, count in enumerate(counts):
        if size <= 0:
            break
        if start >= count:
            start -= count
            continue
        taken = min(count - start, size)
        found.append((part, start, taken))
        start, size = 0, size - taken
    return found


@dataclass(frozen=True)
class Mark:
    """A place in the order of the moment `now` (the parts as they were then): just after
    the offer of this part, sort key and id. Whatever comes after it stays after it: offers
    published or withdrawn elsewhere in the list neither repeat nor skip one."""

    now: datetime
    part: str
    key: str
    offer_id: str


def mark_of(doc: dict[str, Any], now: datetime) -> Mark:
    """The place just after this stored offer in the order of `now`."""
    part = freshness(doc["updated_at"], now).value
    return Mark(now, part, doc.get("sort_key") or "", doc["_id"])


def ordered(docs: Iterable[dict[str, Any]], now: datetime) -> list[dict[str, Any]]:
    """The stored offers in the space's order at `now` (a missing key sorts first, as in
    the store)."""
    return sorted(
        docs,
        key=lambda d: (
            STALEST_FIRST.index(freshness(d["updated_at"], now)),
            d.get("sort_key") or "",
            d["_id"],
        ),
    )
