"""The services' acknowledgements of privacy's commands, into their cases."""

from faststream.kafka import KafkaBroker

from entraide.contracts.events import PrivacyAck
from entraide.contracts.topics import PRIVACY_ACKS
from entraide.kit.broker import consumer_group, subscriber_options
from entraide.kit.consumers import Record, event_of, subscribe
from entraide.kit.deadletter import PoisonMessageError
from entraide.kit.settings import ServiceSettings
from entraide.privacy.usecases.cases import Rights


def ack_of(record: Record) -> PrivacyAck:
    """The acknowledgement a record carries; any other event is poison."""
    event = event_of(record)
    if not isinstance(event.data, PrivacyAck):
        raise PoisonMessageError("not-an-acknowledgement", event.type)
    return event.data


def register(
    broker: KafkaBroker, rights: Rights, *, settings: ServiceSettings, service: str
) -> None:
    async def on_ack(ack: PrivacyAck) -> None:
        """A service answered a command: note it on the case, close the case if complete."""
        await rights.record_ack(ack)

    # a group of its own, from the end when new: the watchdog resends what is unanswered
    # and the services answer again
    group = f"{consumer_group(settings, service)}-acks"
    subscribe(
        broker,
        [PRIVACY_ACKS.name],
        title="privacy-acks",
        parse=ack_of,
        handle=on_ack,
        options=subscriber_options(settings, service)
        | {"group_id": group, "auto_offset_reset": "latest"},
    )
