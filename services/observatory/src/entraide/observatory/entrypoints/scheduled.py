"""The observatory's scheduled jobs (the refresh of the indicators) as app lifespans."""

import contextlib
from collections.abc import Awaitable, Callable

from fastapi import FastAPI

from entraide.kit.loops import Periodic, running


def every(
    seconds: float, job: Callable[[], Awaitable[object]], name: str, app: FastAPI
) -> contextlib.AbstractAsyncContextManager[None]:
    """Run `job` at start, then every `seconds`, for the app's lifetime; a failure (the store
    or the disk away) is tried again after a backoff (the kit's loop)."""
    return running(Periodic(job, seconds, name=name))
