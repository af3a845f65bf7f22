"""The staff offers API's cursor (`apres=`): a `listing.Mark` as opaque text, and back.

Not a secret: it only places the caller in their own association's list (the rights are
checked on every page). Read strictly, so that nothing but a moment, a part and plain text
reaches the store's filter (a value from a client is never taken as an operator).
"""

from datetime import datetime

from entraide.directory.domain.offers.listing import STALEST_FIRST, Mark
from entraide.kit.opaque import CursorError, pack, unpack

__all__ = ["CursorError", "decode", "encode"]
PARTS = {s.value for s in STALEST_FIRST}


def encode(mark: Mark) -> str:
    """The mark as URL-safe text."""
    fields = {"moment": mark.now.isoformat(), "partie": mark.part, "cle": mark.key}
    return pack(fields | {"action": mark.offer_id})


def decode(cursor: str) -> Mark:
    """The mark the text encodes; CursorError if it is not one `encode` wrote."""
    found = unpack(cursor)
    names = ("moment", "partie", "cle", "action")
    if not all(isinstance(found.get(n), str) for n in names):
        raise CursorError(cursor)
    if found["partie"] not in PARTS:
        raise CursorError(cursor)
    try:
        moment = datetime.fromisoformat(found["moment"])
    except ValueError as exc:
        raise CursorError(cursor) from exc
    if moment.tzinfo is None:
        raise CursorError(cursor)
    return Mark(moment, found["partie"], found["cle"], found["action"])
