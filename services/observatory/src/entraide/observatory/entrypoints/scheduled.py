"""The observatory's scheduled jobs (the refresh of the indicators) as app lifespans."""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable

from fastapi import FastAPI

from entraide.kit.cancellation import raise_if_cancelling

log = logging.getLogger(__name__)


@contextlib.asynccontextmanager
async def every(
    seconds: float, job: Callable[[], Awaitable[object]], name: str, app: FastAPI
) -> AsyncIterator[None]:
    """Run `job` at start, then every `seconds`, for the app's lifetime; a failure waits for
    the next round (the store or the disk away)."""

    async def loop() -> None:
        while True:
            try:
                await job()
            except Exception as exc:
                raise_if_cancelling(exc)
                log.warning(
                    "scheduled job failed", extra={"job": name, "error": type(exc).__name__}
                )
            await asyncio.sleep(seconds)

    task = asyncio.create_task(loop())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
