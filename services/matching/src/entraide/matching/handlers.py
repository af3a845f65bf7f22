"""Matching's Kafka handlers for requests: parse, apply to the read model, then let the
engine act on the change."""

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage

from entraide.contracts import parse_event
from entraide.contracts.events import ContactLogged, RequestState, RequestWithdrawn
from entraide.contracts.kit.broker import subscriber_options
from entraide.contracts.kit.deadletter import PoisonMessageError
from entraide.matching import domain
from entraide.matching.settings import MatchingSettings
from entraide.matching.store import Applied, RequestViews

log = logging.getLogger(__name__)
Doc = dict[str, Any]


def register(
    broker: KafkaBroker,
    views: RequestViews,
    *,
    settings: MatchingSettings,
    service: str,
    on_change: Callable[[Doc, bool], Awaitable[None]] | None = None,
) -> None:
    @broker.subscriber(  # type: ignore[untyped-decorator]
        settings.requests_topic, title="requests", **subscriber_options(settings, service)
    )
    async def on_request_event(message: KafkaMessage) -> None:
        """Keep the request read model at the latest revision; redeliveries change nothing."""
        event = parse_event(message.body)
        data = event.data
        if isinstance(data, ContactLogged):  # privacy's concern (retention), not matching's
            return
        if not isinstance(data, RequestState | RequestWithdrawn):
            raise PoisonMessageError("not-a-request-event", event.type)
        view = domain.request_view(data, event_id=event.id)
        applied = await views.upsert(data.request_id, view)
        if applied and on_change:  # propose at once, or end the family's open match
            await on_change({"_id": data.request_id, **view}, applied is Applied.NEW)
        log.info(
            "request event", extra={"event_id": event.id, "type": event.type, "applied": applied}
        )
