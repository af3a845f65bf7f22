"""Staff's queue « À confirmer » a page at a time: the requests waiting, oldest first, by
page number (`?page=`), each page saying how many wait in all. Pure: no I/O."""

from dataclasses import dataclass, field
from typing import Generic, TypeVar

PAGE_SIZE = 20  # a request is a card with its forms: twenty to read and decide

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    """Page `number` of a list of `total` items in all, `size` a page."""

    items: list[T] = field(default_factory=list)
    total: int = 0
    number: int = 1
    size: int = PAGE_SIZE

    @property
    def pages(self) -> int:
        return pages_of(self.total, self.size)

    @property
    def first(self) -> int:
        """The rank in the whole list of the page's first item (1 for the very first)."""
        return (self.number - 1) * self.size + 1


def pages_of(total: int, size: int = PAGE_SIZE) -> int:
    """How many pages `total` items fill (one, even empty)."""
    return max(1, -(-total // size))


def number_of(asked: str | None) -> int:
    """The page number a link or a form asks for (anything else: the first)."""
    return int(asked) if asked and asked.isdigit() and 0 < int(asked) < 10**6 else 1


def within(number: int, total: int, size: int = PAGE_SIZE) -> int:
    """The page asked, or the last one if the list is shorter now (requests decided)."""
    return min(max(1, number), pages_of(total, size))
