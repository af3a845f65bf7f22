import pytest
from pydantic import SecretStr

from entraide.intake.domain.partners import Partner
from entraide.intake.settings import IntakeSettings
from entraide.kit.settings import ServiceSettings
from entraide.privacy.settings import PrivacySettings
from tests.auth_support import DevIssuer
from tests.infra import Endpoints, settings_on
from tests.support import scratch_topic


@pytest.fixture
def intake_settings(infra: Endpoints, unique: str, dev_issuer: DevIssuer) -> IntakeSettings:
    """Intake on its own database, trusting the tests' dev issuer."""
    settings = settings_on(
        IntakeSettings, infra, f"test_intake_{unique}", outbox_idle_poll_seconds=0.2, keys="local"
    )
    return dev_issuer.settings_for(settings)


@pytest.fixture
async def staff_bearer(dev_issuer: DevIssuer) -> dict[str, str]:
    """The API header of `ppm-nantes`: Parrains Par Mille staff in Loire-Atlantique."""
    return {"Authorization": f"Bearer {await dev_issuer.token_for('ppm-nantes')}"}


@pytest.fixture
def privacy_settings(infra: Endpoints, unique: str, dev_issuer: DevIssuer) -> PrivacySettings:
    """Privacy on its own database, trusting the tests' dev issuer; no scheduled sweep."""
    settings = settings_on(
        PrivacySettings,
        infra,
        f"test_privacy_{unique}",
        retry_backoff_seconds=0.05,
        sweep_interval_seconds=0,
        watchdog_interval_seconds=1,
        ack_retry_seconds=5,  # a command sent before a new consumer was assigned: resent
    )
    return dev_issuer.settings_for(settings)


PARTNER_SECRET = "caf-44-secret-for-tests"


@pytest.fixture
async def partner_settings(intake_settings, unique):
    """Intake with one partner, whose Kafka door is a topic of this test's own (so the
    thousand malformed events of one test never slow another test's intake down)."""
    source = f"urn:entraide:partner:caf-44-{unique}"
    async with scratch_topic(intake_settings.kafka_bootstrap, "entraide.test.partners") as door:
        yield intake_settings.model_copy(
            update={
                "partners": {"caf-44": Partner(secret=SecretStr(PARTNER_SECRET), source=source)},
                "partner_events_topic": door,
            }
        )


@pytest.fixture
async def topic(infra: Endpoints):
    """A topic and its dead-letter topic for this test alone."""
    async with scratch_topic(infra.kafka_bootstrap, "entraide.test") as name:
        yield name


@pytest.fixture
def kit_settings(infra: Endpoints, unique: str) -> ServiceSettings:
    """Settings for a bare kit broker on the real Kafka, with a consumer group of its own."""
    return settings_on(ServiceSettings, infra, f"test_kit_{unique}", port=0)
