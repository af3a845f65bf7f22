"""Outbox entries: what a service's store write appends for the relay to publish.

A document carries its pending events in `outbox` (entries: topic, key, value), with
`outbox_pending`, `lease_until` and `lease_owner`; every write that appends events also
resets the lease (`PENDING`), so the relay never marks as sent an event it has not read.
"""

from datetime import UTC, datetime
from typing import Any

from faststream.kafka.response import KafkaPublishCommand
from faststream.response.publish_type import PublishType

from entraide.contracts import CloudEvent, spec_for_type
from entraide.contracts.envelope import CONTENT_TYPE
from entraide.kit.telemetry import current_traceparent

Doc = dict[str, Any]
NEVER = datetime(1970, 1, 1, tzinfo=UTC)
PENDING: Doc = {"outbox_pending": True, "lease_until": NEVER, "lease_owner": None}


def outbox_entry(event: CloudEvent[Any]) -> Doc:
    """An event ready for the relay: its topic, its key and its serialized envelope.

    It keeps the traceparent of the call that caused it (the relay publishes later, from
    its own loop, inside that trace) and when it was queued (the outbox age metric).
    """
    spec = spec_for_type(event.type)
    if spec is None:  # a programming error, not bad input
        raise ValueError(f"event type not in the catalog: {event.type}")
    return {
        "event_id": event.id,
        "topic": spec.topic.name,
        "key": event.subject,
        "value": event.model_dump_json(),
        "traceparent": current_traceparent(),
        "queued_at": datetime.now(UTC),
    }


DONE: Doc = {"outbox": [], "outbox_pending": False, "lease_until": NEVER, "lease_owner": None}
# the relay's bookkeeping in a document: never the subject's data (an export leaves it out)
FIELDS = frozenset(DONE)


def record(entry: Doc, trace_headers: dict[str, str]) -> KafkaPublishCommand:
    """The Kafka record an entry is sent as: its value (None: a tombstone for its key), its
    key, the content type and the headers that carry its trace."""
    value = entry["value"]
    headers = ({} if value is None else {"content-type": CONTENT_TYPE}) | trace_headers
    return KafkaPublishCommand(
        None if value is None else value.encode(),
        topic=entry["topic"],
        key=entry["key"].encode(),
        headers=headers,
        no_confirm=True,
        _publish_type=PublishType.PUBLISH,
    )
