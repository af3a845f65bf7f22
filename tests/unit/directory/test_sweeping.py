"""A background sweep stops with the app even when the sweep swallows the cancellation
(an HTTP client's cancel scope did: the app's shutdown then waited for ever)."""

import asyncio
import contextlib

from fastapi import FastAPI

from entraide.directory.adapters.outbox import sweeping


async def test_a_sweep_that_swallows_its_cancellation_still_stops() -> None:
    started = asyncio.Event()
    calls = 0

    async def stubborn() -> int:
        nonlocal calls
        calls += 1
        started.set()
        with contextlib.suppress(asyncio.CancelledError):  # swallowed, as a library did
            await asyncio.sleep(3600)
        return 0

    async def stopped() -> None:
        async with sweeping(stubborn, 0.01, FastAPI()):
            await started.wait()

    await asyncio.wait_for(stopped(), timeout=5)
    assert calls == 1  # stopped after the swallowed cancellation, not swept again
