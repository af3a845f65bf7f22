"""The Kafka broker every service uses: idempotent producer, at-least-once subscribers."""

import asyncio
import logging
from typing import Any

from faststream import AckPolicy
from faststream.kafka import KafkaBroker
from faststream.kafka.opentelemetry import KafkaTelemetryMiddleware
from faststream.kafka.prometheus import KafkaPrometheusMiddleware
from prometheus_client import CollectorRegistry

from entraide.kit.cancellation import raise_if_cancelling
from entraide.kit.deadletter import RetryThenDeadLetter
from entraide.kit.metrics import dead_letters
from entraide.kit.settings import ServiceSettings

log = logging.getLogger(__name__)


def make_broker(
    settings: ServiceSettings, *, service: str, registry: CollectorRegistry
) -> KafkaBroker:
    """A broker whose publishes wait for all replicas and whose handlers retry then dead-letter."""
    broker = KafkaBroker(
        settings.kafka_bootstrap,
        client_id=f"entraide-{service}",
        acks="all",
        enable_idempotence=True,
        allow_auto_create_topics=False,
        graceful_timeout=settings.graceful_timeout_seconds,
        ack_policy=AckPolicy.NACK_ON_ERROR,
        # FastStream's default logger has a console handler of its own: use ours (JSON)
        logger=logging.getLogger("faststream"),
        middlewares=[
            KafkaPrometheusMiddleware(registry=registry, app_name=f"entraide-{service}"),
            # the global tracer provider (kit/telemetry.py): traceparent in, traceparent out
            KafkaTelemetryMiddleware(),
        ],
    )
    broker.add_middleware(
        RetryThenDeadLetter(
            broker,
            attempts=settings.consumer_attempts,
            backoff_seconds=settings.retry_backoff_seconds,
            group=consumer_group(settings, service),
            counter=dead_letters(registry),
        )
    )
    return broker


def consumer_group(settings: ServiceSettings, service: str) -> str:
    """One consumer group per service: replicas share the partitions."""
    return f"{settings.consumer_group_prefix}-{service}"


def subscriber_options(
    settings: ServiceSettings, service: str, subscriber: str | None = None
) -> dict[str, Any]:
    """Keyword arguments for `broker.subscriber`: the service's group, from the beginning.

    A service's second subscriber names itself (`subscriber`) and gets a group of its own:
    subscribers sharing a group rebalance each other when one starts, and the batch the
    other was handling then comes again (each of its dead letters sent twice)."""
    group = consumer_group(settings, service)
    if subscriber:
        group = f"{group}-{subscriber}"
    return {"group_id": group, "auto_offset_reset": "earliest"}


async def start_when_reachable(broker: KafkaBroker, *, max_backoff: float = 5.0) -> None:
    """Start the broker, retrying while Kafka is unreachable, so HTTP can serve meanwhile."""
    delay = 0.2
    while True:
        try:
            await broker.start()
            return
        except Exception as exc:  # Kafka down or still electing: try again
            raise_if_cancelling(exc)
            log.warning(
                "kafka not reachable yet", extra={"error": type(exc).__name__, "retry_in_s": delay}
            )
            await _stop_quietly(broker)
            await asyncio.sleep(delay)
            delay = min(delay * 2, max_backoff)


async def _stop_quietly(broker: KafkaBroker) -> None:
    try:
        await broker.stop()
    except Exception:  # a half-started broker may fail to stop; it is discarded anyway
        log.debug("broker stop after failed start", exc_info=True)
