"""Directory's matches consumer against the real store, without Kafka: its handler as
`register` wires it (parse, then the batch), approved volunteers stored as the use cases
store them, and match events as matching publishes them. Shared by
test_directory_matches_batch and the replay benchmark."""

import uuid
from collections.abc import Awaitable, Callable, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any
from unittest.mock import patch

from pymongo import AsyncMongoClient, monitoring

from entraide.contracts import new_event
from entraide.contracts.events import (
    MatchAccepted,
    MatchClosed,
    MatchEvent,
    MatchProposed,
    MatchStarted,
)
from entraide.contracts.vocab import MatchOutcome
from entraide.directory.adapters.offers.store import OfferStore
from entraide.directory.adapters.unit_of_work import MongoUnitOfWork
from entraide.directory.adapters.volunteers.local_keys import VolunteerKeys
from entraide.directory.adapters.volunteers.store import VolunteerStore
from entraide.directory.adapters.volunteers.supports import VolunteerSupports
from entraide.directory.domain.volunteers.rules import Honorability, Status
from entraide.directory.entrypoints.consumers import matches
from entraide.directory.settings import DirectorySettings
from entraide.directory.usecases import volunteers
from entraide.directory.usecases.volunteer_news import VolunteerNews
from entraide.directory.usecases.volunteers import Review
from entraide.kit.consumers import Batch
from entraide.kit.notifications import Channel
from entraide.kit.notifications.mongo import MongoNotifier
from entraide.kit.notifications.seal import Seal
from tests.unit.directory.test_volunteer_use_cases import FORM, PPM

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
APPROVE = [
    Review(status=Status.IN_REVIEW, honorability=Honorability.REQUESTED),
    Review(honorability=Honorability.CLEARED),
    Review(status=Status.APPROVED),
]


class Commands(monitoring.CommandListener):
    """Every command the client sends, by name and collection."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, str]] = []

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        collection = event.command.get(event.command_name)
        self.seen.append((event.command_name, collection if isinstance(collection, str) else ""))

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None: ...

    def failed(self, event: monitoring.CommandFailedEvent) -> None: ...

    def on(self, collection: str) -> list[str]:
        return [name for name, on in self.seen if on == collection]


class Outbox:
    """A sender that keeps what it was given (the notifier's record is the real one)."""

    def __init__(self) -> None:
        self.sent: list[str] = []

    async def send(self, to: str, message: Any) -> None:
        self.sent.append(to)


@dataclass
class Directory:
    """The consumer's handler on a database of the real store, and what it touches."""

    handle: Callable[[Batch[MatchEvent]], Awaitable[None]]
    parse: Callable[[Any], MatchEvent | None]
    store: VolunteerStore
    supports: VolunteerSupports
    news: VolunteerNews
    uow: MongoUnitOfWork
    commands: Commands
    outbox: Outbox
    db: Any
    refs: list[str] = field(default_factory=list)

    async def approved(self, n: int) -> list[str]:
        """n volunteers applied and approved; their references."""
        for i in range(n):
            form = FORM.model_copy(
                update={"identity": FORM.identity.model_copy(update={"courriel": f"v{i}@ex.org"})}
            )
            volunteer_id = await volunteers.apply(self.uow, self.news.keys, form)
            for review in APPROVE:
                await volunteers.change(self.uow, PPM, volunteer_id, review)
            doc = await self.store.get(volunteer_id)
            assert doc is not None
            self.refs.append(doc["volunteer_ref"])
        return self.refs[-n:]

    async def replay(self, events: Iterable[MatchEvent] | list[Any], batch: int = 500) -> None:
        """The events (or their records) parsed and handled batch by batch, in order."""
        records = [e if isinstance(e, SimpleNamespace) else as_record(e) for e in events]
        for start in range(0, len(records), batch):
            parsed = [(self.parse(r), r) for r in records[start : start + batch]]
            await self.handle(Batch(items=[(v, r) for v, r in parsed if v is not None]))


@asynccontextmanager
async def directory(settings: DirectorySettings):
    """The handler `register` subscribes, on the settings' database, commands counted."""
    commands = Commands()
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(
        settings.mongodb_uri, tz_aware=True, event_listeners=[commands]
    )
    try:
        db = client[settings.database]
        store = VolunteerStore(db, "volunteers", "applications")
        supports = VolunteerSupports(db)
        outbox = Outbox()
        notifier = MongoNotifier(db, {Channel.EMAIL: outbox}, seal=Seal("bench-seal-secret"))
        for indexed in (store, supports, notifier):
            await indexed.ensure_indexes()
        keys = VolunteerKeys(db, settings.master_key_bytes())
        news = VolunteerNews(keys, notifier, space_url="http://127.0.0.1:8010")
        captured: dict[str, Any] = {}

        def capture(broker: object, topics: object, **kw: Any) -> None:
            captured.update(kw)

        with patch.object(matches, "subscribe_batches", capture):
            matches.register(None, news, store, supports, settings=settings, service_name="d")  # type: ignore[arg-type]
        uow = MongoUnitOfWork(OfferStore(db, "offers"), store, lambda: None)
        yield Directory(
            captured["handle"], captured["parse"], store, supports, news, uow, commands, outbox, db
        )
    finally:
        await client.close()


def as_record(event: MatchEvent) -> SimpleNamespace:
    """The event as a record of the matches topic (its value: the CloudEvent's JSON)."""
    cloud_event = new_event(event, source="/matching", subject=event.family_ref)
    return SimpleNamespace(value=cloud_event.model_dump_json().encode())


def proposal(volunteer_ref: str | None, match_id: str | None = None, at: datetime = T0):
    return MatchProposed(
        match_id=match_id or uuid.uuid4().hex,
        request_id=uuid.uuid4().hex,
        family_ref=uuid.uuid4().hex,
        association_id="parrains-par-mille",
        volunteer_ref=volunteer_ref,
        offer_id=None if volunteer_ref else uuid.uuid4().hex,
        score=0.8,
        reasons=["proche"],
        proposed_at=at,
        expires_at=at + timedelta(days=7),
        needs=["parrainage-de-proximite"],
        departement="44",
    )


def accepted(p: MatchProposed, days: int = 1) -> MatchAccepted:
    return MatchAccepted(**ids(p), accepted_at=p.proposed_at + timedelta(days=days))


def started(p: MatchProposed, days: int = 2) -> MatchStarted:
    return MatchStarted(**ids(p), started_at=p.proposed_at + timedelta(days=days))


def closed(p: MatchProposed, days: int = 3) -> MatchClosed:
    return MatchClosed(
        **ids(p), outcome=MatchOutcome.COMPLETED, closed_at=p.proposed_at + timedelta(days=days)
    )


def ids(p: MatchProposed) -> dict[str, Any]:
    return {
        "match_id": p.match_id,
        "request_id": p.request_id,
        "family_ref": p.family_ref,
        "association_id": p.association_id,
    }
