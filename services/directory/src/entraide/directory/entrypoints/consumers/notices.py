"""Privacy's retention notices (on its commands topic): directory warns the volunteer
through its notifier; a family's notice is intake's (directory does not hold it). Other
commands on the topic are the rights handler's."""

from datetime import UTC, datetime

from faststream.kafka import KafkaBroker

from entraide.contracts.events import RetentionNoticeDue
from entraide.contracts.topics import PRIVACY_COMMANDS
from entraide.directory.settings import DirectorySettings
from entraide.directory.usecases.ports import VolunteerDocuments
from entraide.directory.usecases.volunteer_news import VolunteerNews
from entraide.kit.broker import subscriber_options
from entraide.kit.consumers import Event, event_of, subscribe
from entraide.kit.formats import paris


def register(
    broker: KafkaBroker,
    news: VolunteerNews,
    documents: VolunteerDocuments,
    *,
    settings: DirectorySettings,
    service_name: str,
) -> None:
    async def on_privacy_notice(event: Event) -> None:
        """A retention warning due: sent to the volunteer by their chosen channel."""
        if isinstance(event.data, RetentionNoticeDue):
            today = paris(datetime.now(UTC)).date()
            await news.retention_warning(documents, event.data, today)

    subscribe(
        broker,
        [PRIVACY_COMMANDS.name],
        title="privacy-notices",
        parse=event_of,
        handle=on_privacy_notice,
        options=subscriber_options(settings, service_name, "notices"),
    )
