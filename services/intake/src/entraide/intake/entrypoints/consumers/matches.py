"""Matching's events: each request's orientation (proposed, waitlisted, accepted, started,
closed...) noted on the family's record, and the record opened or closed to the match's
association."""

from faststream.kafka import KafkaBroker

from entraide.contracts.topics import MATCHES
from entraide.intake.settings import IntakeSettings
from entraide.intake.usecases import orientation, sharing
from entraide.intake.usecases.ports import AuditTrail, Families
from entraide.intake.usecases.self_request_queue import ConfirmationQueue
from entraide.kit.broker import subscriber_options
from entraide.kit.consumers import Batch, Event, event_of, subscribe_batches

# a replay of the matches topic (a new replica, a rebuilt database) goes by batches
MATCHES_BATCH_MAX_RECORDS = 500
MATCHES_BATCH_TIMEOUT_MS = 50


def register(
    broker: KafkaBroker,
    families: Families,
    audit: AuditTrail,
    *,
    settings: IntakeSettings,
    service_name: str,
    queue: ConfirmationQueue | None = None,
) -> None:
    """Subscribe to matching's events (`queue`: the families whose own request was
    accepted or started are told « une association va vous appeler », or « … prendre
    contact avec vous » when they chose no call)."""

    async def on_match_events(batch: Batch[Event]) -> None:
        """A batch: the steps noted on the requests' orientation in one write; the
        family's record opened or closed to the match's association; events no retry can
        fix to the dead-letter topic; the offsets committed once it is all done."""
        events = batch.values
        await orientation.match_events(families, list(events))
        for event in events:
            await sharing.match_changed(families, audit, event)
        if queue is not None:
            await queue.match_events(list(events))

    subscribe_batches(
        broker,
        [MATCHES.name],
        title="matches",
        parse=event_of,
        handle=on_match_events,
        options=subscriber_options(settings, service_name, "matches"),
        max_records=MATCHES_BATCH_MAX_RECORDS,
        batch_timeout_ms=MATCHES_BATCH_TIMEOUT_MS,
    )
