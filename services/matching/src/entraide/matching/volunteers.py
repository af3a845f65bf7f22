"""Matching's read model of vetted volunteers, rebuilt from the compacted volunteers topic.

Pseudonymous: keyed by the volunteer's reference. A newer revision replaces the state; a
tombstone (the volunteer left) removes it.
"""

from collections.abc import Awaitable, Callable
from typing import Any, cast

from aiokafka import ConsumerRecord
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from entraide.contracts import parse_event
from entraide.contracts.events import VolunteerAvailability
from entraide.kit.broker import subscriber_options
from entraide.kit.deadletter import PoisonMessageError
from entraide.matching.settings import MatchingSettings

Doc = dict[str, Any]
# what matching does when a support changes: (key, capacity, still available)
SupportChanged = Callable[[str, int | None, bool], Awaitable[None]]


class VolunteerViews:
    def __init__(self, db: AsyncDatabase[Doc]) -> None:
        self.collection = db["volunteers"]

    async def upsert(self, data: VolunteerAvailability) -> bool:
        view = data.model_dump(mode="json", exclude={"volunteer_ref"})
        try:
            result = await self.collection.update_one(
                {"_id": data.volunteer_ref, "revision": {"$lt": data.revision}},
                {"$set": view},
                upsert=True,
            )
        except DuplicateKeyError:  # as new or newer already: a redelivery
            return False
        return bool(result.upserted_id is not None or result.modified_count)

    async def remove(self, volunteer_ref: str) -> None:
        await self.collection.delete_one({"_id": volunteer_ref})

    async def get(self, volunteer_ref: str) -> Doc | None:
        return await self.collection.find_one({"_id": volunteer_ref})

    async def many(self, refs: list[str]) -> dict[str, Doc]:
        """Several volunteers by reference (for the coordinators' pages)."""
        return {d["_id"]: d async for d in self.collection.find({"_id": {"$in": refs}})}


def register(
    broker: KafkaBroker,
    views: VolunteerViews,
    *,
    settings: MatchingSettings,
    service: str,
    on_change: SupportChanged | None = None,
) -> None:
    @broker.subscriber(  # type: ignore[untyped-decorator]
        settings.volunteers_topic, title="volunteers", **subscriber_options(settings, service)
    )
    async def on_volunteer_event(message: KafkaMessage) -> None:
        """Keep the volunteers' read model at directory's latest state per volunteer."""
        record = cast(ConsumerRecord[bytes, bytes], message.raw_message)
        if record.value is None:
            if record.key:
                await views.remove(record.key.decode())
                if on_change:
                    await on_change(f"volunteer:{record.key.decode()}", None, False)
            return
        event = parse_event(message.body)
        if not isinstance(event.data, VolunteerAvailability):
            raise PoisonMessageError("not-a-volunteer-event", event.type)
        data = event.data
        if await views.upsert(data) and on_change:
            await on_change(f"volunteer:{data.volunteer_ref}", data.capacity, data.active)
