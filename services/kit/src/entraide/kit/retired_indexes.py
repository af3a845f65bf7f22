"""Indexes a service no longer creates, dropped at its start-up. A store created by an
earlier version keeps them otherwise, for good: their space, and their cost on every
write. Each store names its own (`RETIRED`, with the change that retired them)."""

import logging
from collections.abc import Iterable
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import OperationFailure

log = logging.getLogger(__name__)
NOT_THERE = {26, 27}  # NamespaceNotFound (no collection yet), IndexNotFound


async def drop_retired(collection: AsyncCollection[Any], names: Iterable[str]) -> list[str]:
    """Drop those of the named indexes the collection still has, logged once (names only);
    one already gone (dropped by an earlier start-up or another replica, or never created,
    or its collection never made) is skipped, so every start-up may call this. Which it
    dropped."""
    dropped = []
    for name in names:
        try:
            await collection.drop_index(name)
        except OperationFailure as e:
            if e.code not in NOT_THERE:
                raise
            continue
        dropped.append(name)
    if dropped:
        log.info(
            "retired indexes dropped",
            extra={"collection": collection.name, "indexes": dropped},
        )
    return dropped
