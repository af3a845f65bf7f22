"""The kit's guard for background loops (kit/loops.py): a loop stops with the app even when
its step swallows the cancellation, a cancellation that comes back as an error is not taken
for a failure, a failing step is tried again after a backoff, and its error is logged by
type only (an exception's message may hold an address); each loop counts its failed
rounds and sets the time of its last success for the alerts."""

import asyncio
import contextlib
import itertools
import logging
import time

import pytest
from prometheus_client import CollectorRegistry
from pymongo.errors import AutoReconnect

from entraide.kit import loops
from entraide.kit.loops import Periodic, every, running


async def test_a_step_that_swallows_its_cancellation_still_stops() -> None:
    started = asyncio.Event()
    calls = 0

    async def stubborn() -> None:
        nonlocal calls
        calls += 1
        started.set()
        with contextlib.suppress(asyncio.CancelledError):  # swallowed, as a library did
            await asyncio.sleep(3600)

    async def stopped() -> None:
        async with running(Periodic(stubborn, 0.01, name="stubborn")):
            await started.wait()

    await asyncio.wait_for(stopped(), timeout=5)
    assert calls == 1  # stopped after the swallowed cancellation, not run again


async def test_the_wait_for_a_step_that_never_ends_is_bounded() -> None:
    started, released = asyncio.Event(), asyncio.Event()

    async def deaf() -> None:
        started.set()
        while not released.is_set():  # deaf to every cancellation: only the bound helps
            with contextlib.suppress(asyncio.CancelledError):
                await released.wait()

    async with running(Periodic(deaf, 0.01, name="deaf"), stop_seconds=0.2):
        await started.wait()
    (left,) = [t for t in asyncio.all_tasks() if t.get_name() == "deaf"]
    assert not left.done()  # the shutdown came back all the same, the loop left behind
    released.set()
    await asyncio.wait_for(left, 1)  # (the stop flag then ends it)


async def test_a_cancellation_that_comes_back_as_an_error_ends_the_loop() -> None:
    started = asyncio.Event()
    calls = 0

    async def cut() -> None:
        nonlocal calls
        calls += 1
        started.set()
        try:
            await asyncio.sleep(30)
        except asyncio.CancelledError:
            raise AutoReconnect("connection closed") from None  # as a cut operation may

    task = asyncio.create_task(Periodic(cut, 0.01, name="cut").run())
    await started.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await asyncio.wait_for(task, 3)
    assert calls == 1


async def test_a_failing_step_is_tried_again_with_backoff_and_logged_without_its_message(
    caplog: pytest.LogCaptureFixture,
) -> None:
    times: list[float] = []
    done = asyncio.Event()

    async def flaky() -> None:
        times.append(asyncio.get_running_loop().time())
        if len(times) < 4:
            raise RuntimeError("mail to amina.diallo@example.org refused")
        done.set()

    caplog.set_level(logging.WARNING, logger="entraide.kit.loops")
    loop = Periodic(flaky, 60.0, name="flaky", first_backoff_seconds=0.05)
    async with running(loop):
        await asyncio.wait_for(done.wait(), 5)
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert len(times) == 4  # three failures, then the round that worked; not before 60 s
    assert gaps[1] > gaps[0] * 1.5  # the backoff doubles
    assert gaps[2] > gaps[1] * 1.5
    failures = [r for r in caplog.records if "failed" in r.getMessage()]
    assert len(failures) == 3
    assert all(r.__dict__["error"] == "RuntimeError" for r in failures)
    assert "amina" not in caplog.text


async def test_wake_cuts_the_wait_short_and_wait_first_waits_before_the_first_round() -> None:
    rounds = 0
    wake = asyncio.Event()

    async def step() -> None:
        nonlocal rounds
        rounds += 1

    async with running(Periodic(step, 3600, name="woken", wake=wake, wait_first=True)):
        await asyncio.sleep(0.05)
        assert rounds == 0  # waits a period first
        wake.set()
        await asyncio.sleep(0.05)
        assert rounds == 1
        wake.set()
        await asyncio.sleep(0.05)
        assert rounds == 2


async def test_a_busy_step_runs_again_at_once_and_every_is_a_lifespan() -> None:
    batches = [3, 2, 0]
    seen: list[int] = []

    async def publish() -> int:
        seen.append(batches.pop(0) if batches else 0)
        return seen[-1]

    async with running(Periodic(publish, 3600, name="busy", busy_again=True)):
        await asyncio.sleep(0.05)
    assert seen == [3, 2, 0]  # then it waits the period

    counted = 0

    async def count() -> None:
        nonlocal counted
        counted += 1

    async with every(0.01, count, name="count")(None):
        await asyncio.sleep(0.1)
    assert counted >= 3


async def test_a_failing_round_is_counted_and_a_succeeding_one_sets_the_last_success() -> None:
    registry = CollectorRegistry()
    loops.bind(registry)
    calls: list[float] = []
    failed_twice, finish = asyncio.Event(), asyncio.Event()

    def sample(name: str) -> float | None:
        return registry.get_sample_value(name, {"loop": "sweep"})

    async def sweep() -> None:
        calls.append(time.time())
        if len(calls) <= 2:
            if len(calls) == 2:
                failed_twice.set()
            raise AutoReconnect("store away")
        finish.set()

    before = time.time()
    async with running(Periodic(sweep, 3600, name="sweep", first_backoff_seconds=0.2)):
        await asyncio.wait_for(failed_twice.wait(), 5)
        assert sample("entraide_loop_rounds_failed_total") == 2
        start = sample("entraide_loop_last_success_timestamp_seconds")
        assert start is not None
        assert before <= start < calls[0]  # the loop's start: no success yet
        assert sample("entraide_loop_period_seconds") == 3600
        await asyncio.wait_for(finish.wait(), 5)
        await asyncio.sleep(0)
    assert sample("entraide_loop_rounds_failed_total") == 2  # the success counts no failure
    last = sample("entraide_loop_last_success_timestamp_seconds")
    assert last is not None
    assert last >= calls[-1]
