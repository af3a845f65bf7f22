"""The key vault: every subject's data keys, wrapped under a master key, destroyed on erasure.

A key belongs to the service that created it (`owner`) under an id of that service's
choosing, and names its subject, so an erasure destroys every key of the subject at once.
A destroyed key leaves a tombstone (no key material) so that a late or replayed event can
never bring it back: the subject's remaining ciphertexts, in stores, topics and backups,
stay unreadable for good.
"""

from datetime import UTC, datetime
from typing import Any

from pymongo import ASCENDING
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from entraide.kit.bulk import inserted_but
from entraide.kit.keyvault_client import KeyDestroyedError
from entraide.privacy.adapters import crypto
from entraide.privacy.domain.keys import Batch, KeyTrace

Doc = dict[str, Any]
CASE_KEYS = "privacy/case-"  # an access case's own key (`usecases.cases.Rights.open_many`)


class KeyVault:
    """Privacy's `keys` collection (the `Keys` and `KeyStore` ports)."""

    def __init__(self, db: AsyncDatabase[Doc], masters: dict[str, bytes], active: str) -> None:
        self.keys = db["keys"]
        self.masters, self.active = masters, active

    async def ensure_indexes(self) -> None:
        await self.keys.create_index([("subject_ref", ASCENDING)])
        await self.keys.create_index([("master", ASCENDING)])

    async def get_or_create(
        self,
        owner: str,
        key_id: str,
        *,
        subject_ref: str,
        subject_kind: str,
        material: bytes | None = None,
    ) -> tuple[bytes, bool]:
        """The key (and whether it is new); KeyDestroyedError if it was destroyed."""
        key = material or crypto.new_key()
        doc = self._new(owner, key_id, key, subject_ref=subject_ref, subject_kind=subject_kind)
        doc_id = doc["_id"]
        try:
            await self.keys.insert_one(doc)
        except DuplicateKeyError:
            existing = await self.get(owner, key_id)
            if existing is None:
                raise KeyDestroyedError(doc_id) from None
            return existing, False
        return key, True

    async def get_or_create_many(
        self, owner: str, subjects: dict[str, str], *, subject_kind: str
    ) -> Batch:
        """The keys of `subjects` (key id -> subject ref), each created if missing, all in
        one insert; an id whose key was destroyed gets none (`Batch.destroyed`)."""
        fresh = {key_id: crypto.new_key() for key_id in subjects}
        docs = [
            self._new(owner, key_id, key, subject_ref=subjects[key_id], subject_kind=subject_kind)
            for key_id, key in fresh.items()
        ]
        if not docs:
            return Batch()
        clashed = {docs[n]["_id"] for n in await inserted_but(self.keys, docs)}
        batch = Batch(created={k for k in fresh if f"{owner}/{k}" not in clashed})
        batch.keys.update({k: fresh[k] for k in batch.created})
        # the ids that existed already: their stored key, or nothing once destroyed
        async for doc in self.keys.find({"_id": {"$in": sorted(clashed)}}):
            key_id = doc["_id"].removeprefix(f"{owner}/")
            if "wrapped" in doc:
                batch.keys[key_id] = crypto.unwrap(
                    self.masters[doc["master"]], doc["_id"], doc["wrapped"]
                )
            else:
                batch.destroyed.add(key_id)
        return batch

    def _new(
        self, owner: str, key_id: str, key: bytes, *, subject_ref: str, subject_kind: str
    ) -> Doc:
        """A new key's document, wrapped under the active master key."""
        doc_id = f"{owner}/{key_id}"
        return {
            "_id": doc_id,
            "owner": owner,
            "subject_ref": subject_ref,
            "subject_kind": subject_kind,
            "master": self.active,
            "wrapped": crypto.wrap(self.masters[self.active], doc_id, key),
            "created_at": datetime.now(UTC),
        }

    async def get(self, owner: str, key_id: str) -> bytes | None:
        """The key, None if unknown; KeyDestroyedError if destroyed."""
        doc_id = f"{owner}/{key_id}"
        doc = await self.keys.find_one({"_id": doc_id})
        if doc is None:
            return None
        if "wrapped" not in doc:
            raise KeyDestroyedError(doc_id)
        return crypto.unwrap(self.masters[doc["master"]], doc_id, doc["wrapped"])

    async def destroyed(self, owner: str, key_id: str) -> bool:
        """Whether the key was destroyed: its tombstone holds no key material."""
        query = {"_id": f"{owner}/{key_id}", "wrapped": {"$exists": False}}
        return await self.keys.find_one(query, {"_id": 1}) is not None

    async def destroy(self, owner: str, key_id: str) -> bool:
        """Destroy one key (its owner's erasure); True if it held key material."""
        return await self._destroy({"_id": f"{owner}/{key_id}"}) > 0

    async def destroy_many(self, owner: str, key_ids: list[str]) -> int:
        """Destroy these keys of `owner` in one write; how many held key material."""
        return await self._destroy({"_id": {"$in": [f"{owner}/{k}" for k in key_ids]}})

    async def destroy_subject(self, subject_ref: str) -> int:
        """Destroy every key of the subject, whoever created it; how many were live."""
        return await self._destroy({"subject_ref": subject_ref})

    async def _destroy(self, query: Doc) -> int:
        result = await self.keys.update_many(
            {**query, "wrapped": {"$exists": True}},
            {"$unset": {"wrapped": "", "master": ""}, "$set": {"destroyed_at": datetime.now(UTC)}},
        )
        return result.modified_count

    async def traces_of(self, subject_ref: str) -> list[KeyTrace]:
        """The services' keys naming the subject, live or destroyed; not the keys privacy
        makes for its own access cases (`privacy/case-...`), which name any reference."""
        fields = {"subject_kind": 1, "wrapped": 1}
        docs = await self.keys.find({"subject_ref": subject_ref}, fields).to_list()
        return [
            KeyTrace(str(doc.get("subject_kind")), "wrapped" in doc)
            for doc in docs
            if not str(doc["_id"]).startswith(CASE_KEYS)
        ]

    async def live_keys_of(self, subject_ref: str) -> int:
        return await self.keys.count_documents(
            {"subject_ref": subject_ref, "wrapped": {"$exists": True}}
        )

    async def rotate(self, *, batch: int = 500) -> int:
        """Re-wrap every key not under the active master key; how many were re-wrapped.

        Each key is rewritten only if still under the master it was read with, so two
        rotations running at once, or an erasure meanwhile, lose nothing.
        """
        stale = {"wrapped": {"$exists": True}, "master": {"$ne": self.active}}
        moved = 0
        while docs := await self.keys.find(stale).limit(batch).to_list():
            for doc in docs:
                key = crypto.unwrap(self.masters[doc["master"]], doc["_id"], doc["wrapped"])
                wrapped = crypto.wrap(self.masters[self.active], doc["_id"], key)
                result = await self.keys.update_one(
                    {"_id": doc["_id"], "master": doc["master"], "wrapped": {"$exists": True}},
                    {"$set": {"wrapped": wrapped, "master": self.active}},
                )
                moved += result.modified_count
        return moved
