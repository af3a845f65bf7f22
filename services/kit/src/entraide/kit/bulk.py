"""One bulk write that may meet a unique key: the positions the store refused as duplicates
(another replica or a resend wrote them first), every other error raised.

With `ordered=False` the store writes every other document of the batch; the callers
decide what a refusal means (already recorded, already full, an older revision).
"""

from collections.abc import Sequence
from typing import Any

from pymongo.errors import BulkWriteError

DUPLICATE_KEY = 11000  # MongoDB's code for a unique index refusing a write


async def inserted_but(collection: Any, docs: Sequence[Any]) -> set[int]:
    """Insert `docs` in one write; the positions refused as duplicates."""
    try:
        await collection.insert_many(docs, ordered=False)
    except BulkWriteError as exc:
        return _duplicates(exc)
    return set()


async def written_but(collection: Any, ops: Sequence[Any]) -> tuple[set[int], set[int]]:
    """Apply `ops` in one write: the positions that upserted a new document, and those
    refused as duplicates."""
    try:
        result = (await collection.bulk_write(ops, ordered=False)).bulk_api_result
        refused: set[int] = set()
    except BulkWriteError as exc:
        result, refused = exc.details, _duplicates(exc)
    return {u["index"] for u in result.get("upserted", ())}, refused


def _duplicates(exc: BulkWriteError) -> set[int]:
    errors = exc.details.get("writeErrors", ())
    if any(e.get("code") != DUPLICATE_KEY for e in errors):
        raise exc
    return {e["index"] for e in errors}
