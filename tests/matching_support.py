"""Matching on scratch topics: its own requests, volunteers and offers topics, events to
feed them, and settings that read them (so no other test's volunteers get in the way)."""

import contextlib
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from aiokafka import AIOKafkaProducer

from entraide.contracts import new_event
from entraide.contracts.events import (
    EventData,
    RequestSubmitted,
    RequestWithdrawn,
    Slot,
    VolunteerAvailability,
)
from entraide.matching.domain.model import Match
from entraide.matching.settings import MatchingSettings
from tests.support import scratch_topic

WEDNESDAY_PM = Slot(day="we", part="afternoon")


@dataclass
class Feed:
    """Scratch topics matching reads, and a producer to feed them."""

    requests: str
    volunteers: str
    offers: str
    producer: AIOKafkaProducer

    async def send(self, topic: str, data: EventData, key: str) -> None:
        event = new_event(data, source="/tests", subject=key)
        await self.producer.send_and_wait(topic, event.model_dump_json().encode(), key=key.encode())

    def settings(self, base: MatchingSettings, **extra: Any) -> MatchingSettings:
        return base.model_copy(
            update={
                "requests_topic": self.requests,
                "volunteers_topic": self.volunteers,
                "offers_topic": self.offers,
                "scheduler": False,
                "outbox_idle_poll_seconds": 0.2,
            }
            | extra
        )


@contextlib.asynccontextmanager
async def feed(bootstrap: str) -> AsyncIterator[Feed]:
    async with (
        scratch_topic(bootstrap, "entraide.test.requests", partitions=2) as requests,
        scratch_topic(bootstrap, "entraide.test.volunteers") as volunteers,
        scratch_topic(bootstrap, "entraide.test.offers") as offers,
    ):
        producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
        await producer.start()
        try:
            yield Feed(requests, volunteers, offers, producer)
        finally:
            await producer.stop()


def volunteer(
    ref: str,
    *,
    postal_code: str = "44400",
    association: str = "parrains-par-mille",
    capacity: int = 1,
    active: bool = True,
    revision: int = 1,
    needs: tuple[str, ...] = ("parrainage-de-proximite",),
    honorability: date | None = date(2030, 1, 1),
) -> VolunteerAvailability:
    return VolunteerAvailability(
        volunteer_ref=ref,
        association_id=association,
        revision=revision,
        departement=postal_code[:2],
        postal_code=postal_code,
        needs=list(needs),
        availability=[WEDNESDAY_PM],
        languages=["fr"],
        capacity=capacity,
        active=active,
        changed_at=datetime.now(UTC),
        honorability_valid_until=honorability,
    )


def request(
    *,
    postal_code: str = "44000",
    urgency: str = "medium",
    association: str = "parrains-par-mille",
    waited: timedelta = timedelta(0),
    needs: tuple[str, ...] = ("parrainage-de-proximite",),
) -> RequestSubmitted:
    return RequestSubmitted(
        request_id=uuid.uuid4().hex,
        family_ref=uuid.uuid4().hex[:22],
        revision=1,
        departement=postal_code[:2],
        postal_code=postal_code,
        children_age_bands=["6-10"],
        needs=list(needs),
        availability=[WEDNESDAY_PM],
        languages=["fr"],
        urgency=urgency,
        association_id=association,
        channel="staff-form",
        consent_to_matching=True,
        submitted_at=datetime.now(UTC) - waited,
    )


def withdrawn(submitted: RequestSubmitted) -> RequestWithdrawn:
    return RequestWithdrawn(
        request_id=submitted.request_id,
        family_ref=submitted.family_ref,
        revision=2,
        reason="family-choice",
        withdrawn_at=datetime.now(UTC),
    )


def started_match(now: datetime, **changes: Any) -> Match:
    """A match proposed 40 days before `now`, started 35 days before (`changes` apart)."""
    fields: dict[str, Any] = {
        "match_id": uuid.uuid4().hex,
        "request_id": uuid.uuid4().hex,
        "family_ref": uuid.uuid4().hex[:22],
        "support_key": "volunteer:vol-1",
        "association_id": "afev",
        "departement": "44",
        "needs": ("parrainage-de-proximite",),
        "urgency": "medium",
        "state": "started",
        "score": 1.0,
        "breakdown": {},
        "reasons": (),
        "distance_km": None,
        "proposed_by": "online",
        "proposed_at": now - timedelta(days=40),
        "expires_at": now,
        "started_at": now - timedelta(days=35),
    }
    return Match(**fields | changes)
