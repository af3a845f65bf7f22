"""The staff API's cursor (`apres=`): a `roster.Mark` as opaque text, and back.

Not a secret: it only places the caller in their own list (the rights are checked on
every page). Read strictly, so that nothing but a day, a tier and plain values reaches the
store's filter (a value from a client is never taken as an operator).
"""

from datetime import date, datetime
from typing import Any

from entraide.directory.domain.volunteers.roster import TIERS, Mark
from entraide.kit.opaque import CursorError, pack, unpack

__all__ = ["CursorError", "decode", "encode"]
SORTS = {t.name: t.sort for t in TIERS}


def encode(mark: Mark) -> str:
    """The mark as URL-safe text."""
    values = [_tagged(v) for v in mark.values]
    return pack({"jour": mark.day.isoformat(), "partie": mark.tier, "apres": values})


def decode(cursor: str) -> Mark:
    """The mark the text encodes; CursorError if it is not one `encode` wrote."""
    found = unpack(cursor)
    if not isinstance(found.get("jour"), str):
        raise CursorError(cursor)
    tier, values = found.get("partie"), found.get("apres")
    if not isinstance(tier, str) or tier not in SORTS or not isinstance(values, list):
        raise CursorError(cursor)
    if len(values) != len(SORTS[tier]):
        raise CursorError(cursor)
    try:
        day = date.fromisoformat(found["jour"])
        return Mark(day, tier, tuple(_untagged(v) for v in values))
    except ValueError as exc:
        raise CursorError(cursor) from exc


def _tagged(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return "t" + value.isoformat()
    if isinstance(value, str):
        return "s" + value
    raise TypeError(f"a sort value of type {type(value).__name__}")


def _untagged(value: Any) -> datetime | str | None:
    if value is None:
        return None
    if isinstance(value, str) and value.startswith("t"):
        return datetime.fromisoformat(value[1:])  # ValueError if it is not one
    if isinstance(value, str) and value.startswith("s"):
        return value[1:]
    raise ValueError("not a sort value")
