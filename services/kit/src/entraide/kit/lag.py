"""Consumer lag as each replica sees it: the partition's high watermark minus its position.

Sampled in the background (positions are asynchronous in aiokafka) rather than at scrape
time. The cluster-wide view, committed offsets per group, is the Kafka exporter's
(`kafka_consumergroup_lag`, Strimzi's Kafka Exporter); this one needs nothing but the
service's own /metrics.
"""

import asyncio
import logging
from typing import Any

from faststream.kafka import KafkaBroker
from prometheus_client import CollectorRegistry, Gauge

from entraide.kit.loops import Periodic
from entraide.kit.metrics import consumer_lag


def lag_sampler(
    broker: KafkaBroker, registry: CollectorRegistry, interval_seconds: float
) -> Periodic:
    """The loop refreshing `entraide_consumer_lag_messages` every `interval_seconds` (a
    rebalance or a broker away: the next round, logged at debug level only)."""
    gauge = consumer_lag(registry)
    return Periodic(
        lambda: record_lag(broker, gauge),
        interval_seconds,
        name="consumer-lag",
        failure_level=logging.DEBUG,
    )


async def record_lag(broker: KafkaBroker, gauge: Gauge) -> None:
    seen: set[tuple[str, ...]] = set()
    for subscriber in broker.subscribers:
        consumer: Any = getattr(subscriber, "consumer", None)
        if consumer is None:
            continue
        group = str(getattr(consumer, "_group_id", None) or "")
        for tp in consumer.assignment():
            highwater = consumer.highwater(tp)
            if highwater is None:  # nothing fetched yet from this partition
                continue
            position = await asyncio.wait_for(consumer.position(tp), 2.0)
            current = (group, tp.topic, str(tp.partition))
            gauge.labels(*current).set(max(highwater - position, 0))
            seen.add(current)
    for gone in _label_sets(gauge):
        if gone not in seen:  # partition moved to another replica
            gauge.remove(*gone)


def _label_sets(gauge: Gauge) -> list[tuple[str, ...]]:
    return [tuple(labels) for labels in gauge._metrics]  # prometheus_client keeps them there
