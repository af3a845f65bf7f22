"""One guard for the services' background loops: run a step every so often until stopped.

Every loop had the same three duties, written by hand each time, and each lost one once:
- keep going through failures (the store, Kafka or the mail server away): the error is
  logged by its type only (an exception's message may hold a name or an address), and the
  step is tried again after a backoff that doubles up to the period;
- stop with the app: a cancellation is never taken for a failure (`raise_if_cancelling`:
  a library may turn it into an error), and a stop flag besides the cancel ends the loop
  even when a step swallows its cancellation (an HTTP client's cancel scope did, and the
  app's shutdown then waited for ever);
- never make a shutdown wait for ever: the wait for the loop's end is bounded;
- be seen when it fails: a log line alone told nobody (a broken retention sweep keeps
  people's data past its time), so each loop, by its name, counts its failed rounds and
  sets the time of its last success (`entraide_loop_*`, in the registry the service binds
  with `bind`), which the alert rules read.

`Periodic(step, every_seconds, name=...)` is the loop (`run`, `stop`); `running(loop)` runs
it for an app's lifetime (a lifespan: `lambda _app: running(loop)`).
"""

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from prometheus_client import CollectorRegistry

from entraide.kit.cancellation import raise_if_cancelling
from entraide.kit.metrics import LoopMetrics, loop_metrics

log = logging.getLogger(__name__)
Step = Callable[[], Awaitable[object]]
_metrics = loop_metrics(CollectorRegistry())  # until the service binds its own


def bind(registry: CollectorRegistry) -> None:
    """Report the process's loops in the service's registry (the one /metrics exposes)."""
    global _metrics
    _metrics = loop_metrics(registry)


class Periodic:
    """Run `step` every `every_seconds` (after it, at once unless `wait_first`) until stopped.

    `wake`, when given, cuts a wait short (it is cleared before each step, so a wake during
    a step runs the next at once); `busy_again` runs the step again at once while it
    returns a truthy value (a batch was found: there may be more). `starting` runs once,
    before the first round; its failure is logged and the rounds run anyway.
    """

    def __init__(
        self,
        step: Step,
        every_seconds: float,
        *,
        name: str,
        wait_first: bool = False,
        wake: asyncio.Event | None = None,
        busy_again: bool = False,
        starting: Step | None = None,
        first_backoff_seconds: float = 1.0,
        max_backoff_seconds: float | None = None,
        failure_level: int = logging.WARNING,
    ) -> None:
        self.step, self.every, self.name = step, every_seconds, name
        self.wait_first, self.busy_again, self.starting = wait_first, busy_again, starting
        self.wake = wake if wake is not None else asyncio.Event()
        self.first_backoff = min(first_backoff_seconds, every_seconds)
        self.max_backoff = every_seconds if max_backoff_seconds is None else max_backoff_seconds
        self.failure_level = failure_level
        self._stopping = asyncio.Event()
        self._metrics: LoopMetrics = _metrics

    @property
    def stopping(self) -> bool:
        return self._stopping.is_set()

    def stop(self) -> None:
        """End the loop after the step under way (or at once if it is waiting)."""
        self._stopping.set()
        self.wake.set()

    async def run(self) -> None:
        """The loop itself, until `stop` or a cancellation."""
        self._metrics = _metrics  # the registry bound when the loop starts
        self._metrics.period.labels(self.name).set(self.every)
        self._metrics.failed.labels(self.name)  # shown at 0 before any failure
        self._metrics.last_success.labels(self.name).set(time.time())
        if self.starting is not None:
            await self._attempt(self.starting)  # a failure is logged: the rounds run anyway
        backoff = self.first_backoff
        if self.wait_first:
            await self._wait(self.every, woken=True)
        while not self.stopping:
            self.wake.clear()
            result = await self._attempt(self.step)
            if self.stopping:
                return
            if result is _FAILED:
                await self._wait(backoff, woken=False)
                backoff = min(backoff * 2, self.max_backoff)
                continue
            backoff = self.first_backoff
            if not (self.busy_again and result):
                await self._wait(self.every, woken=True)

    async def _attempt(self, step: Step) -> object:
        try:
            result = await step()
        except Exception as exc:
            raise_if_cancelling(exc)
            self._metrics.failed.labels(self.name).inc()
            log.log(
                self.failure_level,
                "background round failed: tried again later",
                extra={"loop": self.name, "error": type(exc).__name__},
            )
            return _FAILED
        if step is self.step:
            self._metrics.last_success.labels(self.name).set(time.time())
        return result

    async def _wait(self, seconds: float, *, woken: bool) -> None:
        """Sleep `seconds`, cut short by `stop` (and by `wake` when `woken`)."""
        until = self.wake if woken else self._stopping
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(until.wait(), seconds)


_FAILED = object()


@contextlib.asynccontextmanager
async def running(
    loop: Periodic, *, grace_seconds: float = 0.0, stop_seconds: float = 10.0
) -> AsyncIterator[None]:
    """Run `loop` for the block's lifetime. On the way out: stop it, let the step under way
    finish for up to `grace_seconds`, then cancel it and wait at most `stop_seconds`."""
    task = asyncio.create_task(loop.run(), name=loop.name)
    try:
        yield
    finally:
        loop.stop()
        try:
            if grace_seconds > 0:
                await asyncio.wait({task}, timeout=grace_seconds)
            if not task.done():
                task.cancel()
                await asyncio.wait({task}, timeout=stop_seconds)  # bounded, whatever the step
        finally:
            if not task.done():  # the shutdown itself was cancelled: the loop goes too
                task.cancel()
        if not task.done():
            log.warning("background loop did not stop in time", extra={"loop": loop.name})
        elif not task.cancelled() and (error := task.exception()) is not None:
            log.warning(
                "background loop ended on an error",
                extra={"loop": loop.name, "error": type(error).__name__},
            )


def every(
    seconds: float, step: Step, *, name: str, wait_first: bool = False
) -> Callable[[Any], contextlib.AbstractAsyncContextManager[None]]:
    """A lifespan for `service_app`: `step` every `seconds` for the app's lifetime."""
    return lambda _app: running(Periodic(step, seconds, name=name, wait_first=wait_first))
