"""New families' keys against the real store (ENTRAIDE_KEYS=local): under load they are
made ahead, many in one write, each stored before it is handed out; a family alone gets
exactly its own key; a key made ahead and not handed out in time is deleted, not used."""

import asyncio
import uuid

import pytest

from entraide.intake.adapters import keys as keys_module
from entraide.intake.adapters.keys import WrappedKeys

pytestmark = pytest.mark.store

MASTER = b"m" * 32


def wrapped_keys(mongo) -> tuple[WrappedKeys, list[int]]:
    """Keys on a database of their own, and the sizes of their key writes."""
    keys = WrappedKeys(mongo[f"test_keys_ahead_{uuid.uuid4().hex[:8]}"], MASTER)
    writes: list[int] = []
    write = keys.keys_for

    async def counted(families: dict[str, str]) -> dict[str, bytes]:
        writes.append(len(families))
        return await write(families)

    keys.keys_for = counted  # type: ignore[method-assign]
    return keys, writes


async def test_a_family_alone_gets_its_own_stored_key(mongo) -> None:
    keys, writes = wrapped_keys(mongo)
    family_id, key = await keys.new_family_key("ref-alone-0001")
    assert writes == [1]
    assert await keys.collection.count_documents({}) == 1
    assert await keys.existing(family_id) == key


async def test_under_load_keys_are_made_ahead_each_stored_before_it_is_handed_out(mongo) -> None:
    keys, writes = wrapped_keys(mongo)
    handed: list[tuple[str, bytes]] = []
    for round_ in range(30):  # 8 desks at a time, as the staff API's benchmark
        asked = [keys.new_family_key(f"ref-load-{round_:02d}-{i}") for i in range(8)]
        handed += await asyncio.gather(*asked)
    assert len({family_id for family_id, _ in handed}) == 240  # each family its own
    assert len({key for _, key in handed}) == 240
    assert len(writes) <= 10, writes  # not one write per round (30): 5 when quick
    for family_id, key in handed:  # each one stored, the key it was handed with
        assert await keys.existing(family_id) == key


async def test_a_key_made_ahead_and_not_handed_out_in_time_is_deleted(mongo, monkeypatch) -> None:
    keys, writes = wrapped_keys(mongo)
    for round_ in range(2):  # the second makes 8 more than asked (as many as the first)
        await asyncio.gather(*[keys.new_family_key(f"ref-{round_}-{i}") for i in range(8)])
    made_ahead = [family_id for _, family_id, _ in keys._ahead]
    assert len(made_ahead) == 8
    monkeypatch.setattr(keys_module, "AHEAD_SECONDS", 0.0)  # all made ahead are now too old
    monkeypatch.setattr(keys_module, "DEMAND_SECONDS", 0.0)
    family_id, key = await keys.new_family_key("ref-late-0001")
    assert family_id not in made_ahead  # a new one, written for it
    assert await keys.existing(family_id) == key
    assert writes == [8, 16, 1]  # nothing made ahead for it: no recent demand
    for old in made_ahead:
        assert await keys.existing(old) is None
    assert await keys.collection.count_documents({}) == 17  # the 16 handed out, and this one


async def test_a_key_in_stock_is_handed_out_without_waiting_for_the_loop(mongo) -> None:
    keys, writes = wrapped_keys(mongo)
    for round_ in range(2):  # the second makes 8 more than asked: a stock of 8
        await asyncio.gather(*[keys.new_family_key(f"ref-{round_}-{i}") for i in range(8)])
    in_stock = [family_id for _, family_id, _ in keys._ahead]
    asked = keys.new_family_key("ref-desk-0001").__await__()
    with pytest.raises(StopIteration) as handed:  # done at its first step: never suspended
        next(asked)
    family_id, key = handed.value.value
    assert family_id == in_stock[0]
    assert await keys.existing(family_id) == key
    assert writes == [8, 16]  # no write of its own
