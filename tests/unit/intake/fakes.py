"""In-memory implementations of intake's ports, for use-case tests without Kafka or a store.

They keep copies, as a store would: a use case changing a family it read changes nothing
until its unit of work commits, and a commit on a stale read is refused.
"""

import copy
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from entraide.contracts import CloudEvent
from entraide.intake.domain import requests as domain
from entraide.intake.domain import sealing
from entraide.intake.domain.access import Scope
from entraide.intake.domain.family import (
    ConflictError,
    Family,
    FamilySummary,
    MatchStep,
    RequestSummary,
    Sharing,
)
from entraide.intake.usecases.ports import Action
from entraide.kit.auth import Principal


def summary(family: Family) -> FamilySummary:
    return FamilySummary(
        id=family.id,
        association_id=family.association_id,
        departement=family.departement,
        created_at=family.created_at,
        shared_with=list(family.shared_with),
        requests=[
            RequestSummary(r.request_id, r.status, list(r.needs), r.urgency)
            for r in family.requests
        ],
        postal_code=family.postal_code,
        children_birth_years=tuple(sorted(family.children_birth_years)),
    )


class FakeFamilies:
    """`ports.Families` over a dict of stored families (copies, without pending events)."""

    def __init__(self) -> None:
        self.stored: dict[str, Family] = {}
        self.indexed: dict[str, list[str]] = {}  # by `similar`, not yet recorded
        self.reads = 0  # calls of `get` and `refs`: one store read each

    async def get(self, family_id: str) -> Family | None:
        self.reads += 1
        family = self.stored.get(family_id)
        return None if family is None else copy.deepcopy(family)

    async def by_ref(self, family_ref: str) -> Family | None:
        found = next((f for f in self.stored.values() if f.family_ref == family_ref), None)
        return None if found is None else copy.deepcopy(found)

    async def known(self, family_ids: list[str]) -> set[str]:
        return set(family_ids) & set(self.stored)

    async def refs(self, family_ids: list[str]) -> dict[str, str]:
        self.reads += 1
        return {i: self.stored[i].family_ref for i in family_ids if i in self.stored}

    async def similar(
        self, lookup: list[str], limit: int = 20, *, indexing: str | None = None
    ) -> list[FamilySummary]:
        found = [f for f in self.stored.values() if set(f.lookup) & set(lookup)]
        if indexing is not None:
            self.indexed[indexing] = list(lookup)
        return [summary(f) for f in found[:limit]]

    async def unindex(self, family_id: str) -> None:
        self.indexed.pop(family_id, None)

    async def summaries(self, family_ids: list[str]) -> list[FamilySummary]:
        return [summary(self.stored[i]) for i in family_ids if i in self.stored]

    async def lookups(self, lookup: list[str], limit: int = 500) -> dict[str, list[str]]:
        found = [f for f in self.stored.values() if set(f.lookup) & set(lookup)]
        return {f.id: list(f.lookup) for f in found[:limit]}

    async def recent(self, scope: Scope, limit: int = 50) -> list[FamilySummary]:
        visible = [f for f in self.stored.values() if scope.admits(f)]
        visible.sort(key=lambda f: f.created_at, reverse=True)
        return [summary(f) for f in visible[:limit]]

    async def share(
        self, family_ref: str, association_id: str, *, shared: bool, override: bool = False
    ) -> Sharing | None:
        family = next((f for f in self.stored.values() if f.family_ref == family_ref), None)
        if family is None:
            return None
        consented = family.consent.sharing
        was_shared = association_id in family.shared_with
        if shared and not was_shared and (consented or override):
            family.shared_with.append(association_id)
        elif not shared and was_shared:
            family.shared_with.remove(association_id)
        changed = (association_id in family.shared_with) is not was_shared
        return Sharing(family.id, consented, changed)

    async def note_steps(self, steps: list[tuple[str, MatchStep]]) -> int:
        noted = 0
        for family_ref, step in steps:
            family = next((f for f in self.stored.values() if f.family_ref == family_ref), None)
            if family is None or any(s.event_id == step.event_id for s in family.orientation):
                continue
            family.orientation.append(step)
            noted += 1
        return noted

    async def flag_rectification(self, family_ref: str, case_id: str) -> str | None:
        family = next((f for f in self.stored.values() if f.family_ref == family_ref), None)
        if family is None:
            return None
        if case_id not in family.rectifications + family.rectifications_done:
            family.rectifications.append(case_id)  # a case done is not flagged again
        return family.id

    async def withdraw_rectification(self, family_ref: str, case_id: str) -> bool:
        family = next((f for f in self.stored.values() if f.family_ref == family_ref), None)
        if family is None:
            return False
        flagged = case_id in family.rectifications
        family.rectifications = [c for c in family.rectifications if c != case_id]
        if case_id not in family.rectifications_done:  # noted in the same write
            family.rectifications_done = [*family.rectifications_done, case_id]
        return flagged

    async def delete(self, family_id: str) -> int:
        return 0 if self.stored.pop(family_id, None) is None else 1


class FakeUnitOfWork:
    """`ports.UnitOfWork`: keeps what was written and what the relay would publish."""

    def __init__(self) -> None:
        self.families = FakeFamilies()
        self.published: list[CloudEvent[Any]] = []  # the outbox, in order
        self.wakes = 0
        self.writes = 0
        self.batches = 0  # calls of add_many: one write each in the store
        self._before_commit: Callable[[], Awaitable[None]] | None = None

    async def add(self, family: Family) -> Family:
        stored = self.families.stored
        if family.id in stored:
            return copy.deepcopy(stored[family.id])
        if any(f.family_ref == family.family_ref for f in stored.values()):
            raise ValueError("family_ref is unique")
        self._write(family, version=1)
        return family

    async def add_many(self, families: list[Family]) -> list[Family]:
        self.batches += 1
        stored = []
        for family in families:
            if family.id in self.families.stored:  # another replica stored it meanwhile
                continue
            self._write(family, version=1)
            stored.append(family)
        return stored

    async def commit(self, family: Family) -> None:
        if self._before_commit is not None:  # someone else writes between read and commit
            meanwhile, self._before_commit = self._before_commit, None
            await meanwhile()
        current = self.families.stored.get(family.id)
        if current is None or current.version != family.version:
            raise ConflictError(family.id)
        family.shared_with = list(current.shared_with)  # never rewritten by a commit
        family.orientation = list(current.orientation)  # nor matching's steps
        # privacy's cases acted on lose their flags; one flagged meanwhile stays
        family.rectifications = [c for c in current.rectifications if c not in family.rectified]
        done = [c for c in family.rectified if c not in current.rectifications_done]
        family.rectifications_done = [*current.rectifications_done, *done]  # noted, same write
        family.rectified = []
        self._write(family, version=family.version + 1)

    def before_next_commit(self, write: Callable[[], Awaitable[None]]) -> None:
        """Run `write` just before the next commit (a concurrent edit)."""
        self._before_commit = write

    def _write(self, family: Family, *, version: int) -> None:
        self.writes += 1
        self.families.indexed.pop(family.id, None)  # recorded: as the store, indexed
        family.version = version
        self.published.extend(family.events)
        woken = bool(family.events)
        family.events.clear()
        self.families.stored[family.id] = copy.deepcopy(family)
        if woken:
            self.wakes += 1

    def events_of(self, kind: type) -> list[Any]:
        return [e.data for e in self.published if isinstance(e.data, kind)]


class FakeKeys:
    """`ports.FamilyKeys` in memory."""

    def __init__(self) -> None:
        self.lookup_key = b"l" * 32
        self.ids_key = b"i" * 32
        self.keys: dict[str, bytes] = {}
        self.destroyed: set[str] = set()
        self.batch_calls = 0

    async def key_for(self, family_id: str, family_ref: str) -> bytes:
        if family_id in self.destroyed:
            raise LookupError("the family's key was destroyed")
        return self.keys.setdefault(family_id, sealing.new_key())

    async def new_family_key(self) -> tuple[str, str, bytes]:
        family_id, family_ref = uuid.uuid4().hex, domain.new_family_ref()
        return family_id, family_ref, await self.key_for(family_id, family_ref)

    async def keys_for(self, families: dict[str, str]) -> dict[str, bytes]:
        self.batch_calls += 1
        return {
            family_id: self.keys.setdefault(family_id, sealing.new_key())
            for family_id in families
            if family_id not in self.destroyed
        }

    async def existing(self, family_id: str) -> bytes | None:
        return self.keys.get(family_id)

    async def destroy(self, family_id: str) -> None:
        self.keys.pop(family_id, None)
        self.destroyed.add(family_id)


class FakeAudit:
    """`ports.AuditTrail` as a list."""

    def __init__(self) -> None:
        self.entries: list[dict[str, Any]] = []

    async def record(
        self,
        principal: Principal,
        action: Action,
        family_id: str | None,
        *,
        via: str,
        **details: str,
    ) -> None:
        who = {"actor": principal.subject, "association_id": principal.association_id}
        self._write(who, action, family_id, via=via, **details)

    async def record_event(
        self, action: Action, family_id: str, *, event_id: str, association_id: str
    ) -> None:
        who = {"actor": "system", "association_id": association_id}
        self._write(who, action, family_id, via=f"event:{event_id}")

    async def for_family(self, family_id: str, limit: int = 200) -> list[dict[str, Any]]:
        return [e for e in reversed(self.entries) if e["family_id"] == family_id][:limit]

    def actions(self) -> list[Action]:
        return [e["action"] for e in self.entries]

    def _write(
        self, who: dict[str, Any], action: Action, family_id: str | None, **rest: str
    ) -> None:
        at = datetime.now(UTC)
        self.entries.append({"at": at, **who, "action": action, "family_id": family_id} | rest)
