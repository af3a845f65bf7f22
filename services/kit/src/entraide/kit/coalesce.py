"""Calls made in the same turn of the event loop, answered by one batch call.

Under load, many requests reach the same store or vault write in one turn of the loop: a
new family's key, a new family's document. `Coalesced` hands them to one batch call (one
`insert_many`, one vault call) and gives each caller its own answer, or its own error. A
call alone waits for nothing but the next turn.

It is the DataLoader pattern without its cache. aiodataloader was tried and left: it
starts each batch as a task it keeps no reference to, which asyncio may collect while it
waits (its callers then wait forever: one run of the intake benchmark hung so).
"""

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, TypeVar

Item = TypeVar("Item")
Answer = TypeVar("Answer")

MAX_BATCH = 500


class Coalesced(Generic[Item, Answer]):
    """`await coalesced(item)`: the answer for `item` out of one `batch` call for all the
    items asked in the same turn (at most `max_batch` a call). `batch` answers in the
    items' order, an exception in place of the answer of an item that failed; if `batch`
    itself raises, every caller of that batch gets the error."""

    def __init__(
        self,
        batch: Callable[[list[Item]], Awaitable[Sequence[Answer | Exception]]],
        *,
        max_batch: int = MAX_BATCH,
    ) -> None:
        self._batch = batch
        self._max_batch = max_batch
        self._waiting: list[tuple[Item, asyncio.Future[Answer]]] = []
        self._running: set[asyncio.Task[None]] = set()  # referenced until done

    async def __call__(self, item: Item) -> Answer:
        loop = asyncio.get_running_loop()
        if self._waiting and self._waiting[0][1].get_loop() is not loop:
            self._waiting = []  # left by a loop that is gone (a test's)
        answer: asyncio.Future[Answer] = loop.create_future()
        self._waiting.append((item, answer))
        if len(self._waiting) == 1:
            loop.call_soon(self._dispatch)
        return await answer

    def _dispatch(self) -> None:
        waiting, self._waiting = self._waiting, []
        for start in range(0, len(waiting), self._max_batch):
            task = asyncio.get_running_loop().create_task(
                self._run(waiting[start : start + self._max_batch])
            )
            self._running.add(task)
            task.add_done_callback(self._running.discard)

    async def _run(self, waiting: list[tuple[Item, "asyncio.Future[Answer]"]]) -> None:
        try:
            answers = list(await self._batch([item for item, _ in waiting]))
            if len(answers) != len(waiting):
                raise RuntimeError(f"{len(answers)} answers for {len(waiting)} items")
        except Exception as exc:  # every caller gets it: nothing hangs
            answers = [exc] * len(waiting)
        except BaseException:  # cancelled (the loop stops): the callers are cancelled too
            for _, future in waiting:
                future.cancel()
            raise
        for (_, future), answer in zip(waiting, answers, strict=True):
            if future.done():  # its caller gave up (cancelled)
                continue
            if isinstance(answer, Exception):
                future.set_exception(answer)
            else:
                future.set_result(answer)
