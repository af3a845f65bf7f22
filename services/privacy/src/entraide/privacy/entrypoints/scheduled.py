"""Privacy's scheduled jobs (the cases' watchdog, the retention sweep) as app lifespans."""

import contextlib
from collections.abc import Awaitable, Callable

from fastapi import FastAPI

from entraide.kit.loops import Periodic, running


def every(
    seconds: float,
    job: Callable[[], Awaitable[object]],
    name: str,
    app: FastAPI,
    *,
    wait_first: bool = True,
) -> contextlib.AbstractAsyncContextManager[None]:
    """Run `job` every `seconds` (the first after a period, unless not `wait_first`) for
    the app's lifetime; a failure is tried again after a backoff (the kit's loop)."""
    return running(Periodic(job, seconds, name=name, wait_first=wait_first))
