"""Matching's clockwork: expire unanswered proposals, end those of volunteers whose
honorability check lapsed, re-optimise the waitlist, then bring every active match's
follow-ups up to date (their due dates are computed here and when something happens to
the match, never when a page is viewed)."""

import contextlib
import logging
from collections.abc import AsyncIterator

from fastapi import FastAPI

from entraide.kit import loops
from entraide.matching.usecases.engine import Engine
from entraide.matching.usecases.followups import FollowUps

log = logging.getLogger(__name__)


async def tick(engine: Engine, followups: FollowUps | None = None) -> tuple[int, int, int]:
    """One round: how many proposals expired, how many ended as their volunteer's check
    lapsed, how many the batch made."""
    expired = await engine.expire_due()
    lapsed = await engine.close_lapsed()
    proposed = await engine.rebalance()
    if followups is not None:
        await followups.refresh()
    return expired, lapsed, proposed


@contextlib.asynccontextmanager
async def running(
    engine: Engine, every_seconds: float, app: FastAPI, followups: FollowUps | None = None
) -> AsyncIterator[None]:
    """The rounds for the app's lifetime, the first after a period (the kit's loop); the
    follow-ups of matches accepted before this process are brought up to date at once."""

    async def round_() -> None:
        expired, lapsed, proposed = await tick(engine, followups)
        # an idle round is not news: it would drown an outage's lines
        if expired or lapsed or proposed:
            counts = {"expired": expired, "check_lapsed": lapsed, "proposed": proposed}
            log.info("matching round", extra=counts)

    starting = followups.refresh if followups is not None else None
    loop = loops.Periodic(
        round_, every_seconds, name="matching", wait_first=True, starting=starting
    )
    async with loops.running(loop):
        yield
