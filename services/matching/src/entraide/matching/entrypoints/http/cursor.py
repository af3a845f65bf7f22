"""The API's cursor (`apres=`): a `paging.Mark` as opaque text, and back (directory's
cursor, for matching's lists).

Not a secret: it only places the caller in a list they may read (the scope is checked on
every page). Read strictly, so that nothing but a date and an id reaches the store's
filter (a value from a client is never taken as an operator)."""

import base64
import binascii
import json
from datetime import datetime

from entraide.matching.domain.paging import Mark


class CursorError(ValueError):
    """The text is not a cursor `encode` wrote."""


def encode(mark: Mark) -> str:
    """The mark as URL-safe text."""
    if not isinstance(mark.at, datetime):
        raise TypeError("the API's lists are ordered by a moment")
    text = json.dumps({"apres": [mark.at.isoformat(), mark.id]})
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode(cursor: str) -> Mark:
    """The mark the text encodes; CursorError if it is not one `encode` wrote."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        found = json.loads(raw)
    except (binascii.Error, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CursorError(cursor) from exc
    values = found.get("apres") if isinstance(found, dict) else None
    if not isinstance(values, list) or len(values) != 2:
        raise CursorError(cursor)
    at, id_ = values
    if not isinstance(at, str) or not isinstance(id_, str):
        raise CursorError(cursor)
    try:
        return Mark(datetime.fromisoformat(at), id_)
    except ValueError as exc:
        raise CursorError(cursor) from exc
