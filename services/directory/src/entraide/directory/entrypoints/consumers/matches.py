"""Matching's events: a volunteer proposed to a family is told (identity lives here, in
directory), and their matches are followed (accepted, started, ended) for their space's
« Mes accompagnements » (`usecases.ports.VolunteerSupports`: nothing of the family). The
other events on the topic (follow-ups, the waitlist...) are skipped as they are read; an
offer's match moving finds nothing here and changes nothing. A batch (up to 500 records,
a replay of the topic) reads its volunteers in one query and writes their supports in one
bulk write, each match's events in their order."""

from faststream.kafka import KafkaBroker

from entraide.contracts.events import (
    MatchAccepted,
    MatchClosed,
    MatchDeclined,
    MatchEvent,
    MatchExpired,
    MatchProposed,
    MatchStarted,
)
from entraide.contracts.topics import MATCHES
from entraide.directory.settings import DirectorySettings
from entraide.directory.usecases.ports import (
    Doc,
    SupportMove,
    VolunteerDocuments,
    VolunteerSupports,
)
from entraide.directory.usecases.volunteer_news import VolunteerNews
from entraide.kit.broker import subscriber_options
from entraide.kit.consumers import Batch, Record, event_of, subscribe_batches

# a replay of the matches topic (a new replica, a rebuilt database) goes by batches
BATCH_MAX_RECORDS = 500
BATCH_TIMEOUT_MS = 50


def volunteer_match(record: Record) -> MatchEvent | None:
    """A volunteer's proposal, or a match moving on; None for any other event (PERMANENT
    if not an event)."""
    data = event_of(record).data
    if isinstance(data, MatchProposed):
        return data if data.volunteer_ref is not None else None
    return data if isinstance(data, MOVES) else None


# the moves followed here (a check-in is a follow-up, not a move)
MOVES = (MatchAccepted, MatchStarted, MatchDeclined, MatchExpired, MatchClosed)


class Known:
    """The volunteers a batch read at once (`VolunteerLookup`: the news reads them here)."""

    def __init__(self, docs: dict[str, Doc]) -> None:
        self.docs = docs

    async def by_ref(self, volunteer_ref: str) -> Doc | None:
        return self.docs.get(volunteer_ref)


def register(
    broker: KafkaBroker,
    news: VolunteerNews,
    documents: VolunteerDocuments,
    supports: VolunteerSupports,
    *,
    settings: DirectorySettings,
    service_name: str,
) -> None:
    async def on_matches(batch: Batch[MatchEvent]) -> None:
        """Each volunteer proposed is told, once per match (the notifier keeps the key: a
        redelivered batch sends nothing twice), and each of their matches followed; the
        offsets committed once it is done. A batch reads its volunteers at once and writes
        their supports at once (a replay of the topic pays per batch, not per event)."""
        proposals = [e for e in batch.values if isinstance(e, MatchProposed)]
        refs = {p.volunteer_ref for p in proposals if p.volunteer_ref}
        known = Known(await documents.by_refs(refs))
        changes: list[MatchProposed | SupportMove] = []
        for event in batch.values:
            if not isinstance(event, MatchProposed):
                changes.append(SupportMove(event.match_id, *event.move()))
            elif event.volunteer_ref in known.docs:  # a volunteer known here
                changes.append(event)
        if changes:  # written before the news, whose link shows them
            await supports.heard(changes)
        for proposal in proposals:
            await news.proposed(known, proposal)

    subscribe_batches(
        broker,
        [MATCHES.name],
        title="matches",
        parse=volunteer_match,
        handle=on_matches,
        options=subscriber_options(settings, service_name, "matches"),
        max_records=BATCH_MAX_RECORDS,
        batch_timeout_ms=BATCH_TIMEOUT_MS,
    )
