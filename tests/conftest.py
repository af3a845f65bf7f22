"""Shared fixtures: the real Kafka and document store, and services wired to them."""

import os
import uuid
from collections.abc import AsyncIterator, Iterator

import pytest

from entraide.matching.settings import MatchingSettings
from tests.auth_support import DevIssuer, running_dev_issuer
from tests.infra import Endpoints, endpoints, settings_on

# Every test's matching has a database of its own and replays the shared requests topic:
# announcing each request it waitlists would grow the shared matches topic by the whole
# topic per test (that every later intake and privacy replay). Tests that look at the
# announcements turn them on (`announce_waitlist=True`).
os.environ.setdefault("ENTRAIDE_ANNOUNCE_WAITLIST", "false")

pytest_plugins = ["tests.browser"]  # `browser` and `page`: Debian's chromium via Playwright


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "/integration/" in str(item.path) or "/e2e/" in str(item.path):
            item.add_marker(pytest.mark.kafka)
            item.add_marker(pytest.mark.store)


@pytest.fixture(scope="session")
def infra() -> Iterator[Endpoints]:
    with endpoints() as ends:
        yield ends


@pytest.fixture
def unique() -> str:
    """A fresh name part, so tests never share a database or a consumer group."""
    return uuid.uuid4().hex[:10]


@pytest.fixture
async def mongo(infra: Endpoints) -> AsyncIterator[object]:
    from pymongo import AsyncMongoClient

    client: AsyncMongoClient[dict[str, object]] = AsyncMongoClient(infra.mongodb_uri, tz_aware=True)
    yield client
    await client.close()


@pytest.fixture(scope="session")
def dev_issuer() -> Iterator[DevIssuer]:
    """A real dev issuer (demo accounts, password `demo`) on a free port, for the session."""
    with running_dev_issuer() as issuer:
        yield issuer


@pytest.fixture
def matching_settings(infra: Endpoints, unique: str) -> MatchingSettings:
    return settings_on(
        MatchingSettings, infra, f"test_matching_{unique}", retry_backoff_seconds=0.05
    )
