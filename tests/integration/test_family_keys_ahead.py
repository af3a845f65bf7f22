"""New families' keys against the real store (ENTRAIDE_KEYS=local) and privacy's real key
vault (the default): under load they are made ahead, many in one write or call, each stored
(in the vault: under the family's reference, which erasure goes by) before it is handed
out; a family alone gets exactly its own key; a key made ahead and not handed out in time
is dropped (in the vault: destroyed, all in one call), not used."""

import asyncio
import uuid

import pytest
from pymongo.errors import ConnectionFailure

from entraide.intake.adapters import keys as keys_module
from entraide.intake.adapters.keys import WrappedKeys
from entraide.kit.keyvault_client import KeyDestroyedError, service_token
from entraide.privacy.adapters.vault import KeyVault
from entraide.privacy.app import create_app as privacy_app
from tests.privacy_support import vault_keys
from tests.support import serving

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
    family_id, _ref, key = await keys.new_family_key()
    assert writes == [1]
    assert await keys.collection.count_documents({}) == 1
    assert await keys.existing(family_id) == key


async def test_under_load_keys_are_made_ahead_each_stored_before_it_is_handed_out(mongo) -> None:
    keys, writes = wrapped_keys(mongo)
    handed: list[tuple[str, str, bytes]] = []
    for _round in range(30):  # 8 desks at a time, as the staff API's benchmark
        handed += await asyncio.gather(*[keys.new_family_key() for _ in range(8)])
    assert len({family_id for family_id, _, _ in handed}) == 240  # each family its own
    assert len({ref for _, ref, _ in handed}) == 240
    assert len({key for _, _, key in handed}) == 240
    assert len(writes) <= 10, writes  # not one write per round (30): 5 when quick
    for family_id, _, key in handed:  # each one stored, the key it was handed with
        assert await keys.existing(family_id) == key


async def test_a_key_made_ahead_and_not_handed_out_in_time_is_deleted(mongo, monkeypatch) -> None:
    keys, writes = wrapped_keys(mongo)
    for _round in range(2):  # the second makes 8 more than asked (as many as the first)
        await asyncio.gather(*[keys.new_family_key() for _ in range(8)])
    made_ahead = [family_id for family_id, _, _ in keys.ahead.in_stock()]
    assert len(made_ahead) == 8
    monkeypatch.setattr(keys_module, "AHEAD_SECONDS", 0.0)  # all made ahead are now too old
    monkeypatch.setattr(keys_module, "DEMAND_SECONDS", 0.0)
    family_id, _ref, key = await keys.new_family_key()
    assert family_id not in made_ahead  # a new one, written for it
    assert await keys.existing(family_id) == key
    assert writes == [8, 16, 1]  # nothing made ahead for it: no recent demand
    for old in made_ahead:
        assert await keys.existing(old) is None
    assert await keys.collection.count_documents({}) == 17  # the 16 handed out, and this one


async def test_keys_the_store_refused_to_drop_are_dropped_at_the_next_family(
    mongo, monkeypatch
) -> None:
    keys, writes = wrapped_keys(mongo)
    for _round in range(2):
        await asyncio.gather(*[keys.new_family_key() for _ in range(8)])
    made_ahead = [family_id for family_id, _, _ in keys.ahead.in_stock()]
    monkeypatch.setattr(keys_module, "AHEAD_SECONDS", 0.0)
    monkeypatch.setattr(keys_module, "DEMAND_SECONDS", 0.0)
    drop, refused = keys.ahead._drop, []

    async def refuse_once(family_ids: list[str]) -> None:
        if not refused:
            refused.append(list(family_ids))
            raise ConnectionFailure("the store went away")
        await drop(family_ids)

    monkeypatch.setattr(keys.ahead, "_drop", refuse_once)
    first, _ref, key = await keys.new_family_key()  # made despite the refusal
    assert refused == [made_ahead]
    assert await keys.existing(first) == key
    assert all([await keys.existing(old) is not None for old in made_ahead])  # still there
    await keys.new_family_key()
    for old in made_ahead:  # dropped with the next family
        assert await keys.existing(old) is None
    assert await keys.collection.count_documents({}) == 18  # the 16 handed out, these two
    assert writes == [8, 16, 1, 1]


async def test_a_key_in_stock_is_handed_out_without_waiting_for_the_loop(mongo) -> None:
    keys, writes = wrapped_keys(mongo)
    for _round in range(2):  # the second makes 8 more than asked: a stock of 8
        await asyncio.gather(*[keys.new_family_key() for _ in range(8)])
    in_stock = [family_id for family_id, _, _ in keys.ahead.in_stock()]
    asked = keys.new_family_key().__await__()
    with pytest.raises(StopIteration) as handed:  # done at its first step: never suspended
        next(asked)
    family_id, _ref, key = handed.value.value
    assert family_id == in_stock[0]
    assert await keys.existing(family_id) == key
    assert writes == [8, 16]  # no write of its own


async def test_vault_keys_are_made_ahead_under_their_references_and_stale_ones_destroyed_at_once(
    intake_settings, privacy_settings, mongo, monkeypatch
) -> None:
    privacy = privacy_app(privacy_settings)
    vault = KeyVault(
        mongo[privacy_settings.database], privacy_settings.masters(), privacy_settings.active_master
    )
    async with serving(privacy) as vault_http:
        keys = vault_keys(privacy, intake_settings)
        calls: list[str] = []

        async def count(request) -> None:  # the round trips to the vault
            calls.append(request.url.path)

        keys.client._http.event_hooks["request"].append(count)
        for _round in range(2):  # the second makes 8 more than asked: a stock of 8
            await asyncio.gather(*[keys.new_family_key() for _ in range(8)])
        assert calls == ["/internal/v1/keys:batch"] * 2
        made_ahead = keys.ahead.in_stock()
        assert len(made_ahead) == 8

        family_id, family_ref, key = await keys.new_family_key()  # a desk's next family
        assert (family_id, family_ref, key) == made_ahead[0]
        assert len(calls) == 2, "handed out from the stock: no call of its own"
        assert await vault.get("intake", family_id) == key  # created before handed out
        assert await vault.destroy_subject(family_ref) == 1  # erasure finds it by reference
        with pytest.raises(KeyDestroyedError):
            await vault.get("intake", family_id)

        others = [made[0] for made in made_ahead[1:]]
        as_directory = {"Authorization": f"Bearer {service_token('directory', 'x' * 40)}"}
        refused = await vault_http.post(
            "/internal/v1/keys:destroy", json={"key_ids": others}, headers=as_directory
        )
        assert refused.status_code == 401  # a service destroys only with its own token

        monkeypatch.setattr(keys_module, "AHEAD_SECONDS", 0.0)  # the stock is now too old
        monkeypatch.setattr(keys_module, "DEMAND_SECONDS", 0.0)
        calls.clear()
        late_id, _ref, late_key = await keys.new_family_key()
        assert late_id not in others
        assert calls == ["/internal/v1/keys:destroy", "/internal/v1/keys:batch"]
        assert await vault.get("intake", late_id) == late_key
        for stale in others:  # destroyed, tombstoned: never handed out, never made again
            assert await keys.existing(stale) is None
        assert await keys.keys_for({others[0]: "a-reference-000"}) == {}
