"""The pager of the coordinators' lists (`templates/pagination.html`): each page's address
keeps the list's filters, with another `page` (directory's pager, in matching's words)."""

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from entraide.matching.domain.paging import Page


def pager(page: Page, params: Mapping[str, Any]) -> dict[str, Any]:
    """The links of `page`'s list: the first and last pages and two either side of this one;
    `params`: the filters the links keep (an empty one left out)."""
    kept = {k: v for k, v in params.items() if v and k != "page"}

    def url(n: int) -> str:
        return "?" + urlencode({**kept, "page": n})

    number, pages = page.number, page.pages
    shown = sorted({1, pages, *range(max(1, number - 2), min(pages, number + 2) + 1)})
    return {"number": number, "pages": pages, "url": url, "shown": shown}
