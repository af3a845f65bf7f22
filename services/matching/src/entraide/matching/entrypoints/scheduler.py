"""Matching's clockwork: expire unanswered proposals, re-optimise the waitlist, then bring
every active match's follow-ups up to date (their due dates are computed here and when
something happens to the match, never when a page is viewed)."""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from fastapi import FastAPI

from entraide.kit.cancellation import raise_if_cancelling
from entraide.matching.usecases.engine import Engine
from entraide.matching.usecases.followups import FollowUps

log = logging.getLogger(__name__)


async def tick(engine: Engine, followups: FollowUps | None = None) -> tuple[int, int]:
    """One round: how many proposals expired, how many the batch made."""
    expired = await engine.expire_due()
    proposed = await engine.rebalance()
    if followups is not None:
        await followups.refresh()
    return expired, proposed


@contextlib.asynccontextmanager
async def running(
    engine: Engine, every_seconds: float, app: FastAPI, followups: FollowUps | None = None
) -> AsyncIterator[None]:
    async def loop() -> None:
        if followups is not None:  # matches accepted before this process: at once
            with contextlib.suppress(Exception):
                await followups.refresh()
        while True:
            await asyncio.sleep(every_seconds)
            try:
                expired, proposed = await tick(engine, followups)
                log.info("matching round", extra={"expired": expired, "proposed": proposed})
            except Exception as exc:  # the store may be away: try again next round
                raise_if_cancelling(exc)
                log.warning("matching round failed", extra={"error": type(exc).__name__})

    task = asyncio.create_task(loop())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
