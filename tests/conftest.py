"""Shared fixtures: the real Kafka and document store, and services wired to them."""

import asyncio
import os
import sys
import threading
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


_LOOP: list[asyncio.AbstractEventLoop] = []


@pytest.fixture(scope="session", autouse=True)
async def _session_loop() -> None:
    _LOOP.append(asyncio.get_running_loop())


def _dump_tasks() -> None:
    print("\n--- asyncio tasks of a test about to time out ---", file=sys.stderr)
    for task in asyncio.all_tasks(_LOOP[0]):
        task.print_stack(limit=12, file=sys.stderr)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item) -> Iterator[None]:
    """Shortly before pytest-timeout ends a hung test (and the session) with every thread's
    stack, print where each asyncio task waits: the thread stack of an event loop only says
    it is selecting."""
    marker = item.get_closest_marker("timeout")
    limit = float(marker.args[0]) if marker else float(item.config.getini("timeout") or 0)
    timer = None
    if limit > 60 and _LOOP:
        timer = threading.Timer(limit - 30, lambda: _LOOP[0].call_soon_threadsafe(_dump_tasks))
        timer.daemon = True
        timer.start()
    try:
        return (yield)
    finally:
        if timer:
            timer.cancel()


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
