"""Privacy's retention notices (on its commands topic): intake sends the warning to the
family through its notifier. Other commands on the topic are the rights handler's."""

from datetime import UTC, datetime

from faststream.kafka import KafkaBroker

from entraide.contracts.events import RetentionNoticeDue
from entraide.contracts.topics import PRIVACY_COMMANDS
from entraide.intake.settings import IntakeSettings
from entraide.intake.usecases.retention_warnings import RetentionWarnings
from entraide.kit.broker import subscriber_options
from entraide.kit.consumers import Event, event_of, subscribe
from entraide.kit.formats import paris


def register(
    broker: KafkaBroker, warnings: RetentionWarnings, *, settings: IntakeSettings, service_name: str
) -> None:
    async def on_privacy_notice(event: Event) -> None:
        """A retention warning due: sent to the family by its chosen channel."""
        if isinstance(event.data, RetentionNoticeDue):
            await warnings.warn(event.data, paris(datetime.now(UTC)).date())

    subscribe(
        broker,
        [PRIVACY_COMMANDS.name],
        title="privacy-notices",
        parse=event_of,
        handle=on_privacy_notice,
        options=subscriber_options(settings, service_name, "notices"),
    )
