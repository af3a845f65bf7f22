"""Per-family data keys, behind one small interface.

The privacy service owns the keys (`VaultKeys`, its key vault over HTTP, the default);
`WrappedKeys` keeps them in intake's own database, wrapped under ENTRAIDE_MASTER_KEY, for
running intake alone (its own tests, a laptop without privacy): ENTRAIDE_KEYS=local.
The duplicate-search `lookup_key` is intake's own in both cases: it hashes search terms
and is not any family's key.
"""

import logging
import time
import uuid
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from entraide.contracts.vocab import SubjectKind
from entraide.intake.domain import sealing
from entraide.intake.domain.requests import new_family_ref
from entraide.intake.usecases.ports import FamilyKeys
from entraide.kit.bulk import inserted_but
from entraide.kit.coalesce import Coalesced
from entraide.kit.keyvault_client import KeyVaultClient, SubjectKeys

__all__ = ["FamilyKeys", "VaultKeys", "WrappedKeys"]

log = logging.getLogger(__name__)

DEMAND_SECONDS = 1.0  # keys are made ahead for as many new families as in the last second
AHEAD_SECONDS = 5.0  # a key made ahead is handed out within this time, or dropped
AHEAD_MAX = 500  # at most this many made ahead in one call

Made = tuple[str, str, bytes]  # a new family's id, reference and data key


class KeysAhead:
    """New families' ids, references and keys, each stored before it is handed out.

    Under load they are made ahead: a call makes what is asked plus as many as were handed
    out in the last `DEMAND_SECONDS`, so the next families cost no call of their own (one a
    second, not one per turn of the loop). Alone, a family gets exactly its own. One in
    stock is handed out at once, without waiting for the loop's next turn. One not handed
    out within `AHEAD_SECONDS` is dropped (at the next new family, all in one call; again at
    the next one if the vault or the store refused) rather than trusted to still be stored; one left when the process stops belongs to no family
    and seals nothing. The reference is made with the key because the vault erases keys
    by reference."""

    def __init__(self, keys: FamilyKeys, drop: Callable[[list[str]], Awaitable[None]]) -> None:
        self._keys, self._drop = keys, drop  # keys_for stores them; drop deletes unused ones
        self._new = Coalesced(self._batch)
        self._ahead: deque[tuple[float, Made]] = deque()  # made at, what: stored
        self._handed: deque[tuple[float, int]] = deque()  # when, how many: recent demand
        self._stale: list[str] = []  # out of stock, to drop: kept until dropped

    async def new(self) -> Made:
        now = time.monotonic()
        if self._fresh_ahead(now):
            self._handed.append((now, 1))
            return self._ahead.popleft()[1]
        return await self._new(None)

    def in_stock(self) -> list[Made]:
        return [made for _, made in self._ahead]

    def _fresh_ahead(self, now: float) -> bool:
        """Whether the oldest one made ahead may still be handed out."""
        return bool(self._ahead) and self._ahead[0][0] >= now - AHEAD_SECONDS

    async def _drop_stale(self) -> None:
        """Drop the stale ones; those the store or vault refused now stay for the next new
        family (the family being made need not wait for them, nor fail with them)."""
        stale, self._stale = self._stale, []
        try:
            await self._drop(stale)
        except Exception as exc:  # the vault's or the store's: whatever it is, retried
            self._stale.extend(stale)
            log.warning(
                "keys made ahead and unused not dropped yet, retried at the next new family",
                extra={"keys": len(stale), "error": type(exc).__name__},
            )

    async def _batch(self, asks: list[None]) -> list[Made | Exception]:
        now = time.monotonic()
        while self._handed and self._handed[0][0] < now - DEMAND_SECONDS:
            self._handed.popleft()
        while self._ahead and not self._fresh_ahead(now):
            self._stale.append(self._ahead.popleft()[1][0])
        if self._stale:
            await self._drop_stale()
        while len(self._ahead) < len(asks):
            recent = sum(n for _, n in self._handed)
            count = min(len(asks) - len(self._ahead) + recent, max(AHEAD_MAX, len(asks)))
            refs = {uuid.uuid4().hex: new_family_ref() for _ in range(count)}
            keys = await self._keys.keys_for(refs)  # stored before they are handed out
            self._ahead.extend((now, (i, ref, keys[i])) for i, ref in refs.items())
        self._handed.append((now, len(asks)))
        return [self._ahead.popleft()[1] for _ in asks]


class WrappedKeys:
    """Data keys stored wrapped under a master key, in intake's `family_keys` collection."""

    def __init__(self, db: AsyncDatabase[dict[str, Any]], master: bytes) -> None:
        self.collection = db["family_keys"]
        self.master = master
        self.lookup_key = sealing.derive(master, "duplicate-lookup")
        self.ids_key = sealing.derive(master, "partner-ids")
        self._key_for = Coalesced(self._keys_batch)
        self.ahead = KeysAhead(self, self._drop)

    async def key_for(self, family_id: str, family_ref: str) -> bytes:
        """A new family's key (a resend's: the stored one); the calls of the same turn are
        one write (`keys_for`)."""
        return await self._key_for((family_id, family_ref))

    async def _keys_batch(self, asked: list[tuple[str, str]]) -> list[bytes | Exception]:
        keys = await self.keys_for(dict(asked))
        gone = "the family's key was destroyed"  # refused rather than re-created
        return [keys[f] if f in keys else LookupError(gone) for f, _ in asked]

    async def new_family_key(self) -> Made:
        """A new family's id, reference and key, stored (made ahead under load: `KeysAhead`)."""
        return await self.ahead.new()

    async def _drop(self, family_ids: list[str]) -> None:
        await self.collection.delete_many({"_id": {"$in": family_ids}})

    async def keys_for(self, families: dict[str, str]) -> dict[str, bytes]:
        fresh = {family_id: sealing.new_key() for family_id in families}
        docs = [
            {"_id": family_id, "wrapped": sealing.wrap(self.master, family_id, key)}
            for family_id, key in fresh.items()
        ]
        if not docs:
            return {}
        # new families: one write
        clashed = [docs[n]["_id"] for n in await inserted_but(self.collection, docs)]
        keys = {family_id: key for family_id, key in fresh.items() if family_id not in clashed}
        if clashed:  # resends: theirs
            async for doc in self.collection.find({"_id": {"$in": clashed}}):
                keys[doc["_id"]] = sealing.unwrap(self.master, doc["_id"], doc["wrapped"])
        return keys

    async def existing(self, family_id: str) -> bytes | None:
        doc = await self.collection.find_one({"_id": family_id})
        return None if doc is None else sealing.unwrap(self.master, family_id, doc["wrapped"])

    async def destroy(self, family_id: str) -> None:
        await self.collection.delete_one({"_id": family_id})


class VaultKeys(SubjectKeys):
    """Families' data keys held by privacy's key vault, fetched with intake's service token;
    new families' made ahead under load (`KeysAhead`), so a desk's new family costs no call
    to the vault of its own."""

    def __init__(self, client: KeyVaultClient, master: bytes) -> None:
        super().__init__(client, SubjectKind.FAMILY.value)
        self.lookup_key = sealing.derive(master, "duplicate-lookup")
        self.ids_key = sealing.derive(master, "partner-ids")
        self.ahead = KeysAhead(self, self.client.destroy_many)

    key_for = SubjectKeys.create
    keys_for = SubjectKeys.create_many

    async def new_family_key(self) -> Made:
        """A new family's id, reference and key, created in the vault under that reference."""
        return await self.ahead.new()
