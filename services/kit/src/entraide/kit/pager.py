"""The DSFR pager's links (`templates/pagination.html`), for every service's paged pages."""

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode


def pager(
    number: int, pages: int, params: Mapping[str, Any], *, key: str = "page"
) -> dict[str, Any]:
    """Page `number` of `pages`: each page's address keeps `params` (the page's filters; an
    empty one left out) with another `key` (`page`, or the name of a second list's page);
    the pages shown are the first, the last and two either side of this one."""
    kept = {k: v for k, v in params.items() if v and k != key}

    def url(n: int) -> str:
        return "?" + urlencode({**kept, key: n})

    shown = sorted({1, pages, *range(max(1, number - 2), min(pages, number + 2) + 1)})
    return {"number": number, "pages": pages, "url": url, "shown": shown}
