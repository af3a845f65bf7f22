"""Matching's Kafka handlers for requests: a batch at a time, parse, apply to the read
model in one write, then let the engine act on the changes (offsets committed once the
batch is handled: at least once)."""

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from faststream.kafka import KafkaBroker

from entraide.contracts.events import ContactLogged, RequestState, RequestWithdrawn
from entraide.kit.broker import subscriber_options
from entraide.kit.consumers import Batch, Record, event_of, subscribe_batches
from entraide.kit.deadletter import PoisonMessageError
from entraide.matching import domain
from entraide.matching.settings import MatchingSettings
from entraide.matching.usecases.ports import Applied, RequestViews

log = logging.getLogger(__name__)
Doc = dict[str, Any]
Changed = Callable[[list[tuple[Doc, bool]]], Awaitable[None]]
Contacts = Callable[[dict[str, datetime]], Awaitable[Any]]  # latest contact per family_ref
# getmany returns what the fetcher holds at once: the timeout only bounds an idle wait
BATCH_TIMEOUT_MS = 50


def register(
    broker: KafkaBroker,
    views: RequestViews,
    *,
    settings: MatchingSettings,
    service: str,
    on_change: Changed | None = None,
    on_contacts: Contacts | None = None,
) -> None:
    async def on_request_events(batch: Batch[tuple[str, Doc] | ContactLogged]) -> None:
        """Keep the request read model at the latest revision (redeliveries change nothing),
        then hand the engine each changed request once, in the batch's order, with its
        last view (a family's events come in order on one partition); events no retry can
        fix go to the dead-letter topic with their reason."""
        changes: list[tuple[str, Doc]] = []
        contacts: dict[str, datetime] = {}
        for change in batch:
            if isinstance(change, ContactLogged):  # the follow-ups' rupture clock
                ref, at = change.family_ref, change.contacted_at
                contacts[ref] = max(at, contacts.get(ref, at))
            else:
                changes.append(change)
        applied = await views.upsert_many(changes)
        last: dict[str, tuple[Doc, bool]] = {}
        for (request_id, view), done in zip(changes, applied, strict=True):
            if done:  # the last applied view wins; first seen if any of them inserted it
                first_seen = done is Applied.NEW or last.get(request_id, ({}, False))[1]
                last.pop(request_id, None)  # ordered by its last change
                last[request_id] = ({"_id": request_id, **view}, first_seen)
        if last and on_change:  # propose at once, or end the families' open matches
            await on_change(list(last.values()))
        if contacts and on_contacts:
            await on_contacts(contacts)
        log.info(
            "request events",
            extra={"records": len(batch), "applied": len(last), "contacts": len(contacts)},
        )

    subscribe_batches(
        broker,
        [settings.requests_topic],
        title="requests",
        parse=_change,
        handle=on_request_events,
        options=subscriber_options(settings, service),
        max_records=settings.requests_batch_max_records,
        batch_timeout_ms=BATCH_TIMEOUT_MS,
    )


def _change(record: Record) -> tuple[str, Doc] | ContactLogged:
    """The read-model change a request event makes, or the contact it logs (privacy's
    retention clock, and matching's follow-ups)."""
    event = event_of(record)
    data = event.data
    if isinstance(data, ContactLogged):
        return data
    if not isinstance(data, RequestState | RequestWithdrawn):
        raise PoisonMessageError("not-a-request-event", event.type)
    log.debug("request event", extra={"request_id": data.request_id})  # in its record's trace
    return data.request_id, domain.request_view(data, event_id=event.id)
