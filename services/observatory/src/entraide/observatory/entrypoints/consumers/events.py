"""The network's events into the observatory: requests, matches, offers, volunteers, their
applications and privacy's erasure commands, in batches, with a consumer group of the
observatory's own (the kit's loop dead-letters what cannot be parsed)."""

import logging

from faststream.kafka import KafkaBroker

from entraide.contracts.events import ErasureRequested, VolunteerApplicationChanged
from entraide.contracts.topics import (
    MATCHES,
    OFFERS,
    PRIVACY_COMMANDS,
    REQUESTS,
    VOLUNTEER_APPLICATIONS,
    VOLUNTEERS,
)
from entraide.kit.broker import consumer_group, subscriber_options
from entraide.kit.consumers import Batch, Record, event_or_tombstone, subscribe_batches
from entraide.kit.settings import ServiceSettings
from entraide.observatory.domain.episodes import request_of
from entraide.observatory.domain.supply import supplier_of
from entraide.observatory.usecases.record import Incoming, Recorder

log = logging.getLogger(__name__)
TOPICS = [
    REQUESTS.name,
    MATCHES.name,
    OFFERS.name,
    VOLUNTEERS.name,
    VOLUNTEER_APPLICATIONS.name,
    PRIVACY_COMMANDS.name,
]
BATCH_TIMEOUT_MS = 200


def incoming(record: Record) -> Incoming | None:
    """The event a record carries, None for a tombstone or an event the observatory does not
    count (access, objection and rectification commands)."""
    event = event_or_tombstone(record)
    if event is None:
        return None
    data = event.data
    wanted = (
        request_of(data) is not None
        or supplier_of(data) is not None
        or isinstance(data, ErasureRequested | VolunteerApplicationChanged)
    )
    return Incoming(event.id, event.time, data) if wanted else None


def register(
    broker: KafkaBroker,
    recorder: Recorder,
    *,
    settings: ServiceSettings,
    service: str,
    max_records: int,
) -> None:
    """Subscribe the recorder to the network's topics (group `<prefix>-observatory-facts`)."""

    async def on_events(batch: Batch[Incoming]) -> None:
        """A batch of events, in time order, into facts and episodes; offsets committed after."""
        ordered = sorted(batch.values, key=lambda item: item.at)
        facts = await recorder.record(ordered)
        log.debug("events recorded", extra={"records": len(batch), "facts": facts})

    subscribe_batches(
        broker,
        TOPICS,
        title="facts",
        parse=incoming,
        handle=on_events,
        options=subscriber_options(settings, service)
        | {"group_id": f"{consumer_group(settings, service)}-facts"},
        max_records=max_records,
        batch_timeout_ms=BATCH_TIMEOUT_MS,
    )
