"""One clock for the network's days: Paris's, whatever the machine's zone."""

import os
import re
import time
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from entraide.contracts.paris import in_paris, paris_day

SERVICES = Path(__file__).resolve().parents[3] / "services"


@pytest.fixture
def machine_in_new_york(monkeypatch: pytest.MonkeyPatch):
    """The process's local zone set elsewhere than UTC and Paris."""
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_half_past_midnight_in_paris_is_the_next_day() -> None:
    assert paris_day(datetime(2026, 12, 1, 23, 30, tzinfo=UTC)) == date(2026, 12, 2)
    assert paris_day(datetime(2026, 7, 1, 21, 59, tzinfo=UTC)) == date(2026, 7, 1)  # summer
    assert paris_day(datetime(2026, 7, 1, 22, 0, tzinfo=UTC)) == date(2026, 7, 2)


def test_a_naive_moment_from_the_store_is_utc_not_the_machines_zone(
    machine_in_new_york: None,
) -> None:
    assert paris_day(datetime(2026, 12, 1, 23, 30)) == date(2026, 12, 2)
    assert in_paris(datetime(2026, 12, 1, 23, 30)).hour == 0


@pytest.mark.parametrize(
    "module", ["matching", "directory", "intake", "privacy", "observatory", "kit"]
)
def test_the_services_take_the_days_zone_from_the_contracts(module: str) -> None:
    """No second definition of Paris's zone: one place decides what a day is."""
    found = [
        str(path.relative_to(SERVICES))
        for path in (SERVICES / module).rglob("*.py")
        if re.search(r"ZoneInfo\(\s*[\"']Europe/Paris", path.read_text())
    ]
    assert found == [], os.linesep.join(found)
