"""Privacy's own answer to its commands (erase or export what the registry holds of the
subject), subscribed by the kit's rights consumer like every service's."""

from faststream.kafka import KafkaBroker

from entraide.kit.rights import register_rights
from entraide.kit.settings import ServiceSettings
from entraide.privacy.usecases.answers import PrivacyRights


def register(
    broker: KafkaBroker, answers: PrivacyRights, *, settings: ServiceSettings, service: str
) -> None:
    register_rights(broker, answers, settings=settings, service=service)
