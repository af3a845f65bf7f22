"""The APIs' cursors as opaque text (`apres=`): a JSON object, URL-safe, and back.
What the object holds, and how strictly it is read, is each cursor's (directory's offers
and volunteers, matching's lists; `flash`'s outcomes, which it signs). Anything a client
sends that `pack` did not write is a CursorError (the API's 422), never a 500: not base64,
not ASCII, not JSON, not an object. Readable by whoever holds it: no personal data."""

import base64
import json
from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import HTTPException

T = TypeVar("T")
# the APIs' 422 for a cursor they did not write, on the query's `apres`
REFUSED = "Ce curseur n'est pas valide : reprenez depuis la première page."


class CursorError(ValueError):
    """The text is not a cursor this service wrote."""


def pack(fields: dict[str, Any]) -> str:
    """The fields as URL-safe text, without padding."""
    return base64.urlsafe_b64encode(json.dumps(fields).encode()).decode().rstrip("=")


def unpack(cursor: str) -> dict[str, Any]:
    """The object the text holds; CursorError if it holds none."""
    try:
        found = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except ValueError as exc:  # binascii.Error, UnicodeDecodeError, JSONDecodeError, non-ASCII
        raise CursorError(cursor) from exc
    if not isinstance(found, dict):
        raise CursorError(cursor)
    return found


def after(decode: Callable[[str], T], apres: str | None) -> T | None:
    """The mark a request's `apres` holds (None: the first page), read by the API's own
    `decode`; a 422 naming `query.apres` for anything it did not write."""
    try:
        return decode(apres) if apres else None
    except CursorError:
        raise HTTPException(422, [{"field": "query.apres", "message": REFUSED}]) from None
