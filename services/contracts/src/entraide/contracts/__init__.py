"""Entraide's event contracts: the CloudEvents envelope, the v1 events and their topics.

Every service speaks to the others only through what this package declares.
"""

from entraide.contracts.catalog import CATALOG, EventSpec, spec_for_type
from entraide.contracts.envelope import CloudEvent, UnknownEventTypeError, new_event, parse_event
from entraide.contracts.topics import TOPICS, Topic

__all__ = [
    "CATALOG",
    "TOPICS",
    "CloudEvent",
    "EventSpec",
    "Topic",
    "UnknownEventTypeError",
    "new_event",
    "parse_event",
    "spec_for_type",
]
