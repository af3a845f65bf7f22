"""Intake's MongoDB store: one document per family, its requests and its outbox.

A family's state change and the events it causes are written in one document write
(the outbox), so neither can exist without the other. Every write that appends events
must also reset the relay's lease (`lease_owner: None`, `lease_until: NEVER`): the relay
then never marks as sent an event it has not read.
"""

from datetime import UTC, datetime
from typing import Any

from pymongo import ASCENDING
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

from entraide.contracts import CloudEvent, spec_for_type

NEVER = datetime(1970, 1, 1, tzinfo=UTC)
Doc = dict[str, Any]


def outbox_entry(event: CloudEvent[Any]) -> Doc:
    """An event ready for the relay: its topic, its key and its serialized envelope."""
    spec = spec_for_type(event.type)
    if spec is None:  # a programming error, not bad input
        raise ValueError(f"event type not in the catalog: {event.type}")
    return {
        "event_id": event.id,
        "topic": spec.topic.name,
        "key": event.subject,
        "value": event.model_dump_json(),
    }


class FamilyStore:
    """Families, their requests and their pending events."""

    def __init__(self, db: AsyncDatabase[Doc]) -> None:
        self.families: AsyncCollection[Doc] = db["families"]

    async def ensure_indexes(self) -> None:
        await self.families.create_index([("requests.request_id", ASCENDING)])
        await self.families.create_index([("family_ref", ASCENDING)], unique=True)
        await self.families.create_index(
            [("outbox_pending", ASCENDING), ("lease_until", ASCENDING)]
        )

    async def get(self, family_id: str) -> Doc | None:
        return await self.families.find_one({"_id": family_id})

    async def add_family(self, family: Doc, request: Doc, events: list[CloudEvent[Any]]) -> None:
        """Store a new family with its first request and the events that announce it."""
        await self.families.insert_one(family_document(family, request, events))


def family_document(family: Doc, request: Doc, events: list[CloudEvent[Any]]) -> Doc:
    """A new family's document: identity, first request, and its outbox, unleased."""
    return {
        **family,
        "requests": [request],
        "outbox": [outbox_entry(e) for e in events],
        "outbox_pending": bool(events),
        "lease_until": NEVER,
        "lease_owner": None,
    }
