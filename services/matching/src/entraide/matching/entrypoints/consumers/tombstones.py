"""What the compacted topics' consumers parse a record into: its event, or the tombstone
that says the subject is gone (a null value, the subject's reference as its key)."""

from dataclasses import dataclass

from entraide.kit.consumers import Event, Record, event_of


@dataclass(frozen=True)
class Gone:
    """A tombstone: the subject keyed `key` is gone (None: a tombstone with no key)."""

    key: str | None


def event_or_gone(record: Record) -> Event | Gone:
    """The record's CloudEvent, or `Gone` for a tombstone."""
    if record.value is None:
        return Gone(record.key.decode() if record.key else None)
    return event_of(record)
