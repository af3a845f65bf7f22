"""The retention sweep is due once a day whatever the restarts (real store): a privacy
started runs it at once when none ran within the day, and another started an instant later
(a restart, a second replica) does not run it again. It used to wait a whole day after each
start, so a service restarted more often than that never swept."""

import asyncio

from entraide.privacy.app import create_app as privacy_app
from tests.support import eventually, serving


async def test_a_start_sweeps_when_due_and_a_restart_the_same_day_does_not(
    privacy_settings, mongo
) -> None:
    settings = privacy_settings.model_copy(update={"sweep_interval_seconds": 86400})
    audit = mongo[settings.database]["audit"]

    async def sweeps() -> int:
        return await audit.count_documents({"action": "sweep-run"})

    async with serving(privacy_app(settings)):
        await eventually(lambda: sweeps(), what="the sweep at start")
    # restarted, or another replica: their checks run at start, long done after 3 s
    async with serving(privacy_app(settings)), serving(privacy_app(settings)):
        await asyncio.sleep(3)
    assert await sweeps() == 1
