import pytest

from entraide.intake.settings import IntakeSettings
from entraide.matching.settings import MatchingSettings
from tests.infra import Endpoints


@pytest.fixture
def intake_settings(infra: Endpoints, unique: str) -> IntakeSettings:
    return IntakeSettings(
        kafka_bootstrap=infra.kafka_bootstrap,
        mongodb_uri=infra.mongodb_uri,
        database=f"test_intake_{unique}",
        outbox_idle_poll_seconds=0.2,
    )


@pytest.fixture
def matching_settings(infra: Endpoints, unique: str) -> MatchingSettings:
    return MatchingSettings(
        kafka_bootstrap=infra.kafka_bootstrap,
        mongodb_uri=infra.mongodb_uri,
        database=f"test_matching_{unique}",
        consumer_group_prefix=f"test-{unique}",
        retry_backoff_seconds=0.05,
    )
