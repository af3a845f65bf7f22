"""The store killed and restarted while every service's readiness probe keeps asking it:
the services' own client must come back. A probe that bounded PyMongo by cancelling it
(`asyncio.wait_for`) left, on Python 3.11, the client's topology lock held by no one: every
later operation of the process then waited forever. The store-kill fault test hung twice in
CI that way; with that probe this test hung at its first run, and a loop of the same
restarts hung at the fifth. The probe now uses the driver's own timeout.

    make test-slow
"""

import asyncio
import contextlib
import time
from pathlib import Path

import pytest
from pymongo import AsyncMongoClient

from entraide.kit.probes import store_ready
from tests.infra import throwaway_store

pytestmark = pytest.mark.slow
WORKERS, PROBES, RESTARTS = 8, 3, 4
OUTAGE_S = 8  # several probes' timeouts (2 s) while the store is away


async def test_operations_resume_after_each_store_restart_while_probed(tmp_path: Path) -> None:
    with throwaway_store(tmp_path / "store") as (uri, store):
        client: AsyncMongoClient = AsyncMongoClient(uri, serverSelectionTimeoutMS=5000)
        db = client["restart_probe"]
        last_done: dict[int, float] = {}
        stop = asyncio.Event()

        async def work(i: int) -> None:
            while not stop.is_set():
                try:
                    await db["writes"].insert_one({"worker": i})
                    await db["writes"].find_one({"worker": i})
                    last_done[i] = time.monotonic()
                except Exception:  # the store is away: try again, as a handler's retry does
                    await asyncio.sleep(0.05)

        async def probe() -> None:
            while not stop.is_set():
                await store_ready(db)
                await asyncio.sleep(0.3)

        tasks = [asyncio.create_task(work(i)) for i in range(WORKERS)]
        tasks += [asyncio.create_task(probe()) for _ in range(PROBES)]
        try:
            for restart in range(RESTARTS):
                store.kill()
                await asyncio.sleep(OUTAGE_S)
                store.up()
                back = time.monotonic()
                while not all(last_done.get(i, 0) > back for i in range(WORKERS)):
                    assert time.monotonic() - back < 60, (
                        f"restart {restart + 1}: operations did not resume within 60 s"
                    )
                    await asyncio.sleep(0.5)
            assert await store_ready(db)
        finally:
            stop.set()
            await asyncio.wait(tasks, timeout=30)
            # a wedged client never closes: the assertion above is the failure to report
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(client.close(), 10)
