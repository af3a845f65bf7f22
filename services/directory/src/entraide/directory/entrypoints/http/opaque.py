"""The staff APIs' cursors as opaque text (`apres=`): a JSON object, URL-safe, and back.
What the object holds, and how strictly it is read, is each cursor's
(`offers.cursor`, `volunteers.cursor`)."""

import base64
import binascii
import json
from typing import Any


class CursorError(ValueError):
    """The text is not a cursor this service wrote."""


def pack(fields: dict[str, Any]) -> str:
    """The fields as URL-safe text, without padding."""
    return base64.urlsafe_b64encode(json.dumps(fields).encode()).decode().rstrip("=")


def unpack(cursor: str) -> dict[str, Any]:
    """The object the text holds; CursorError if it holds none."""
    try:
        found = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CursorError(cursor) from exc
    if not isinstance(found, dict):
        raise CursorError(cursor)
    return found
