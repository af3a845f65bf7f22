"""The key vault's use cases for the services (its internal API): a service's keys are
made on its first ask, read, and destroyed; a service reaches only the keys it created.
A destroyed key stays destroyed (the store raises the vault's `KeyDestroyedError`)."""

import logging

from entraide.contracts.vocab import SubjectKind
from entraide.privacy.domain.keys import Batch
from entraide.privacy.usecases.ports import KeyStore

log = logging.getLogger(__name__)


class ServiceKeys:
    """What a calling service may do with its own keys."""

    def __init__(self, store: KeyStore) -> None:
        self.store = store

    async def key(
        self, service: str, key_id: str, *, subject_ref: str, subject_kind: SubjectKind
    ) -> tuple[bytes, bool]:
        """The key `key_id` of `service` (and whether this call made it)."""
        return await self.store.get_or_create(
            service, key_id, subject_ref=subject_ref, subject_kind=subject_kind.value
        )

    async def keys(
        self, service: str, subjects: dict[str, str], *, subject_kind: SubjectKind
    ) -> Batch:
        """The keys of `subjects` (key id -> subject ref), each made if missing; an id
        whose key was destroyed gets none (`Batch.destroyed`)."""
        batch = await self.store.get_or_create_many(
            service, subjects, subject_kind=subject_kind.value
        )
        log.info(
            "keys created in a batch",
            extra={
                "service": service,
                "keys_asked": len(subjects),
                "keys_created": len(batch.created),  # not "created": a LogRecord attribute
                "keys_destroyed": len(batch.destroyed),
            },
        )
        return batch

    async def fetch(self, service: str, key_id: str) -> bytes | None:
        """The key, None if unknown."""
        return await self.store.get(service, key_id)

    async def destroy(self, service: str, key_id: str) -> bool:
        """Destroy the key now (its owner's erasure); True if it held key material."""
        return await self.store.destroy(service, key_id)

    async def destroy_many(self, service: str, key_ids: list[str]) -> int:
        """Destroy these keys at once (keys a service made ahead and never handed out);
        how many held key material."""
        destroyed = await self.store.destroy_many(service, key_ids)
        log.info(
            "keys destroyed in a batch",
            extra={"service": service, "keys_asked": len(key_ids), "keys_destroyed": destroyed},
        )
        return destroyed
