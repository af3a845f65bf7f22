"""The coordinators' lists a page at a time (the queue of proposals, the waitlist, the
follow-ups): each list has one order, a date then the `_id` (so that pages neither repeat
nor skip anyone), which the store sorts and pages; a page says how many there are in all.
The pages go by number (`?page=`), the API by a `Mark` (its cursor: what follows a
document in the order, whatever came in or went out before it). Pure: no I/O."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

PAGE_SIZE = 20
API_MAX = 100  # the API's largest page

Doc = dict[str, Any]


@dataclass(frozen=True)
class Mark:
    """A place in a list: just after the document with this date (a day in ISO text for
    the follow-ups) and id."""

    at: datetime | str
    id: str


@dataclass(frozen=True)
class Asked:
    """Which page: the `number`th of `size` documents, or the one after `after`."""

    number: int = 1
    size: int = PAGE_SIZE
    after: Mark | None = None


@dataclass(frozen=True)
class Page:
    """Some documents of a list, in its order: page `number` of `total` documents in all;
    `next`: where the following page starts (None: this one is the last)."""

    docs: list[Doc]
    total: int
    number: int = 1
    size: int = PAGE_SIZE
    next: Mark | None = field(default=None)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def first(self) -> int:
        """The rank of the page's first document in the list (1 for the first)."""
        return (self.number - 1) * self.size + 1 if self.docs else 0

    @property
    def last(self) -> int:
        return self.first + len(self.docs) - 1 if self.docs else 0


def number_of(asked: str | None) -> int:
    """The page number a link asks for (anything else: the first)."""
    return int(asked) if asked and asked.isdigit() and 0 < int(asked) < 10**6 else 1


def within(number: int, total: int, size: int) -> int:
    """The page number asked, or the last page if there are fewer."""
    return min(max(1, number), max(1, -(-total // size)))


def mark_of(doc: Doc, by: str) -> Mark:
    """The place just after this document in a list ordered by `by`."""
    return Mark(doc[by], doc["_id"])
