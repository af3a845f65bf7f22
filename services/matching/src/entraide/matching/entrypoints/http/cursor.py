"""The API's cursor (`apres=`): a `paging.Mark` as opaque text, and back (directory's
cursor, for matching's lists).

Not a secret: it only places the caller in a list they may read (the scope is checked on
every page). Read strictly, so that nothing but a date and an id reaches the store's
filter (a value from a client is never taken as an operator)."""

from datetime import datetime

from entraide.kit.opaque import CursorError, pack, unpack
from entraide.matching.domain.paging import Mark

__all__ = ["CursorError", "decode", "encode"]


def encode(mark: Mark) -> str:
    """The mark as URL-safe text."""
    if not isinstance(mark.at, datetime):
        raise TypeError("the API's lists are ordered by a moment")
    return pack({"apres": [mark.at.isoformat(), mark.id]})


def decode(cursor: str) -> Mark:
    """The mark the text encodes; CursorError if it is not one `encode` wrote."""
    values = unpack(cursor).get("apres")
    if not isinstance(values, list) or len(values) != 2:
        raise CursorError(cursor)
    at, id_ = values
    if not isinstance(at, str) or not isinstance(id_, str):
        raise CursorError(cursor)
    try:
        return Mark(datetime.fromisoformat(at), id_)
    except ValueError as exc:
        raise CursorError(cursor) from exc
