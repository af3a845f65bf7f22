"""Matching's events: a volunteer proposed to a family is told (identity lives here, in
directory). The other events on the topic (offers' proposals, acceptances, follow-ups...)
are skipped as they are read."""

from faststream.kafka import KafkaBroker

from entraide.contracts.events import MatchProposed
from entraide.contracts.topics import MATCHES
from entraide.directory.settings import DirectorySettings
from entraide.directory.usecases.ports import VolunteerDocuments
from entraide.directory.usecases.volunteer_news import VolunteerNews
from entraide.kit.broker import subscriber_options
from entraide.kit.consumers import Batch, Record, event_of, subscribe_batches

# a replay of the matches topic (a new replica, a rebuilt database) goes by batches
BATCH_MAX_RECORDS = 500
BATCH_TIMEOUT_MS = 50


def volunteer_proposal(record: Record) -> MatchProposed | None:
    """A volunteer's proposal; None for any other event (PERMANENT if not an event)."""
    data = event_of(record).data
    if isinstance(data, MatchProposed) and data.volunteer_ref is not None:
        return data
    return None


def register(
    broker: KafkaBroker,
    news: VolunteerNews,
    documents: VolunteerDocuments,
    *,
    settings: DirectorySettings,
    service_name: str,
) -> None:
    async def on_proposals(batch: Batch[MatchProposed]) -> None:
        """Each volunteer proposed is told, once per match (the notifier keeps the key: a
        redelivered batch sends nothing twice); the offsets committed once it is done."""
        for proposal in batch.values:
            await news.proposed(documents, proposal)

    subscribe_batches(
        broker,
        [MATCHES.name],
        title="matches",
        parse=volunteer_proposal,
        handle=on_proposals,
        options=subscriber_options(settings, service_name, "matches"),
        max_records=BATCH_MAX_RECORDS,
        batch_timeout_ms=BATCH_TIMEOUT_MS,
    )
