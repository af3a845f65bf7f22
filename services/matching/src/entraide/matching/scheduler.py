"""Matching's clockwork: expire unanswered proposals, then re-optimise the waitlist."""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from fastapi import FastAPI

from entraide.matching.engine import Engine

log = logging.getLogger(__name__)


async def tick(engine: Engine) -> tuple[int, int]:
    """One round: how many proposals expired, how many the batch made."""
    expired = await engine.expire_due()
    proposed = await engine.rebalance()
    return expired, proposed


@contextlib.asynccontextmanager
async def running(engine: Engine, every_seconds: float, app: FastAPI) -> AsyncIterator[None]:
    async def loop() -> None:
        while True:
            await asyncio.sleep(every_seconds)
            try:
                expired, proposed = await tick(engine)
                log.info("matching round", extra={"expired": expired, "proposed": proposed})
            except Exception as exc:  # the store may be away: try again next round
                log.warning("matching round failed", extra={"error": type(exc).__name__})

    task = asyncio.create_task(loop())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
