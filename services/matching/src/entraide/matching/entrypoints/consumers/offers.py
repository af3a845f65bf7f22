"""Matching's consumer of directory's compacted offers topic: keeps the offers' read model
equal to directory's latest state per offer (a withdrawal or a tombstone removes it) and
tells the engine which support changed."""

import logging

from faststream.kafka import KafkaBroker

from entraide.contracts.events import OfferState, OfferWithdrawn
from entraide.kit.broker import subscriber_options
from entraide.kit.consumers import Event, subscribe
from entraide.kit.deadletter import PoisonMessageError
from entraide.matching.entrypoints.consumers.tombstones import Gone, event_or_gone
from entraide.matching.settings import MatchingSettings
from entraide.matching.usecases.ports import OfferViews, SupportChanged

log = logging.getLogger(__name__)


def register(
    broker: KafkaBroker,
    views: OfferViews,
    *,
    settings: MatchingSettings,
    service: str,
    on_change: SupportChanged | None = None,
) -> None:
    async def on_offer_event(change: Event | Gone) -> None:
        """Keep the offers' read model equal to directory's latest state per offer."""
        if isinstance(change, Gone):  # a tombstone: the offer is gone
            if change.key:
                await views.remove(change.key)
                if on_change:
                    await on_change(f"offer:{change.key}", None, False)
            return
        event = change
        data = event.data
        if isinstance(data, OfferWithdrawn):
            await views.remove(data.offer_id)
            if on_change:
                await on_change(f"offer:{data.offer_id}", None, False)
        elif isinstance(data, OfferState):
            if await views.upsert(data) and on_change:
                free = None if data.capacity is None else data.capacity - (data.current_load or 0)
                await on_change(f"offer:{data.offer_id}", free, True)
        else:
            raise PoisonMessageError("not-an-offer-event", event.type)
        log.info("offer event", extra={"event_id": event.id, "type": event.type})

    subscribe(
        broker,
        [settings.offers_topic],
        title="offers",
        parse=event_or_gone,
        handle=on_offer_event,
        options=subscriber_options(settings, service, "offers"),
    )
