"""The kit's `Coalesced`: calls of the same turn answered by one batch, each its own answer."""

import asyncio

import pytest

from entraide.kit.coalesce import Coalesced


class Doubling:
    """A batch call that doubles numbers, refuses negative ones, and counts its calls."""

    def __init__(self) -> None:
        self.batches: list[list[int]] = []

    async def __call__(self, items: list[int]) -> list[int | Exception]:
        self.batches.append(items)
        await asyncio.sleep(0)  # a round trip
        return [ValueError(f"negative: {i}") if i < 0 else 2 * i for i in items]


async def test_calls_of_the_same_turn_are_one_batch_and_each_gets_its_answer() -> None:
    batch = Doubling()
    double = Coalesced(batch)
    assert await asyncio.gather(*(double(i) for i in range(10))) == [2 * i for i in range(10)]
    assert batch.batches == [list(range(10))]


async def test_a_call_alone_is_a_batch_of_one() -> None:
    batch = Doubling()
    double = Coalesced(batch)
    assert await double(3) == 6
    assert await double(4) == 8
    assert batch.batches == [[3], [4]]


async def test_an_item_that_fails_fails_alone() -> None:
    double = Coalesced(Doubling())
    answers = await asyncio.gather(double(1), double(-1), double(2), return_exceptions=True)
    assert answers[0] == 2
    assert answers[2] == 4
    assert isinstance(answers[1], ValueError)
    assert "negative: -1" in str(answers[1])


async def test_a_batch_that_raises_fails_every_caller_of_that_batch_and_no_more() -> None:
    calls = 0

    async def flaky(items: list[int]) -> list[int]:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise ConnectionError("store unreachable")
        return items

    echo: Coalesced[int, int] = Coalesced(flaky)
    first = await asyncio.gather(echo(1), echo(2), return_exceptions=True)
    assert all(isinstance(a, ConnectionError) for a in first)
    assert await echo(3) == 3  # the next turn is a new batch


async def test_batches_are_capped() -> None:
    batch = Doubling()
    double = Coalesced(batch, max_batch=4)
    assert await asyncio.gather(*(double(i) for i in range(10))) == [2 * i for i in range(10)]
    assert [len(b) for b in batch.batches] == [4, 4, 2]


def test_the_same_coalescer_serves_one_loop_after_another() -> None:
    """An app object outlives a test's loop: each loop gets its own batches."""
    double = Coalesced(Doubling())
    for _ in range(2):
        assert asyncio.run(double(5)) == 10


async def test_unhashable_items_are_fine() -> None:
    async def lengths(items: list[list[int]]) -> list[int]:
        return [len(i) for i in items]

    count: Coalesced[list[int], int] = Coalesced(lengths)
    assert await asyncio.gather(count([1]), count([1, 2])) == [1, 2]


@pytest.mark.parametrize("callers", [1, 50, 600])
async def test_many_concurrent_callers_all_return(callers: int) -> None:
    double = Coalesced(Doubling())
    answers = await asyncio.wait_for(asyncio.gather(*(double(i) for i in range(callers))), 5)
    assert answers == [2 * i for i in range(callers)]
