"""The `Outbox` port over the kit's relay: the engine hands it events, the relay wants
entries (topic, key, serialized envelope)."""

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from entraide.contracts import CloudEvent
from entraide.kit.outbox import OutboxRelay, outbox_entry

Doc = dict[str, Any]
T = TypeVar("T")


class RelayOutbox:
    """Publishes at once through the relay, or wakes it."""

    def __init__(self, relay: OutboxRelay) -> None:
        self.relay = relay

    def wake(self) -> None:
        self.relay.wake()

    async def write_at_once(
        self, doc_id: Any, events: list[CloudEvent[Any]], write: Callable[[Doc], Awaitable[T]]
    ) -> T:
        return await self.relay.write_at_once(doc_id, [outbox_entry(e) for e in events], write)

    async def write_many_at_once(
        self,
        events_by_id: dict[str, list[CloudEvent[Any]]],
        write: Callable[[dict[str, Doc]], Awaitable[set[str]]],
    ) -> set[str]:
        entries = {
            doc_id: [outbox_entry(e) for e in events] for doc_id, events in events_by_id.items()
        }
        return set(await self.relay.write_many_at_once(entries, write))
