"""Matching's consumer of directory's compacted volunteers topic: keeps the volunteers'
read model at directory's latest state per volunteer (a tombstone removes it) and tells
the engine which support changed.

An inactive volunteer still on the topic is paused (or has just left: directory queues the
tombstone right behind the leaving's event): only their proposals not yet accepted end. The
tombstone (leaving, erasure) ends the rest."""

from faststream.kafka import KafkaBroker

from entraide.contracts.events import VolunteerAvailability
from entraide.kit.broker import subscriber_options
from entraide.kit.consumers import Event, subscribe
from entraide.kit.deadletter import PoisonMessageError
from entraide.matching.entrypoints.consumers.tombstones import Gone, event_or_gone
from entraide.matching.settings import MatchingSettings
from entraide.matching.usecases.ports import SupportChanged, VolunteerViews


def register(
    broker: KafkaBroker,
    views: VolunteerViews,
    *,
    settings: MatchingSettings,
    service: str,
    on_change: SupportChanged | None = None,
) -> None:
    async def on_volunteer_event(change: Event | Gone) -> None:
        """Keep the volunteers' read model at directory's latest state per volunteer."""
        if isinstance(change, Gone):  # a tombstone: the volunteer left
            if change.key:
                await views.remove(change.key)
                if on_change:
                    await on_change(f"volunteer:{change.key}", None, False)
            return
        if not isinstance(change.data, VolunteerAvailability):
            raise PoisonMessageError("not-a-volunteer-event", change.type)
        data = change.data
        if await views.upsert(data) and on_change:
            key = f"volunteer:{data.volunteer_ref}"
            await on_change(key, data.capacity, data.active, paused=not data.active)

    subscribe(
        broker,
        [settings.volunteers_topic],
        title="volunteers",
        parse=event_or_gone,
        handle=on_volunteer_event,
        options=subscriber_options(settings, service, "volunteers"),
    )
