import pytest
from pydantic import SecretStr

from entraide.intake.partners import Partner
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


PARTNER_SECRET = "caf-44-secret-for-tests"


@pytest.fixture
def partner_settings(intake_settings, unique):
    source = f"urn:entraide:partner:caf-44-{unique}"
    return intake_settings.model_copy(
        update={
            "partners": {"caf-44": Partner(secret=SecretStr(PARTNER_SECRET), source=source)},
            "consumer_group_prefix": f"test-{unique}",
        }
    )
