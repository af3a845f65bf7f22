"""What offers and volunteers share as records: who may change them, what a change may
meet, and what their changes queue for the compacted topics. Pure: no I/O."""

from dataclasses import dataclass
from typing import Any

from entraide.contracts import CloudEvent

SOURCE = "/entraide/directory"


class ForbiddenError(Exception):
    """The principal may not touch this association's records."""


class ConflictError(Exception):
    """Someone changed the record meanwhile: reload and try again."""


@dataclass(frozen=True)
class Tombstone:
    """A null value for `key` on the aggregate's compacted topic: compaction forgets it."""

    key: str


Outgoing = CloudEvent[Any] | Tombstone


def may_edit(*, role: str, own_association: str | None, record_association: str) -> bool:
    """Staff edit their own association's records; the network's coordination edits all."""
    return role == "network-coordinator" or own_association == record_association
