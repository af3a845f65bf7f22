"""The audit log of family records: who opened or changed which family, when, and how.

Entries hold the staff member's id and name and the family's internal id, never the
family's data, so the log itself can be shown to the data-protection officer.
"""

from datetime import UTC, datetime
from typing import Any

from pymongo import ASCENDING, DESCENDING
from pymongo.asynchronous.database import AsyncDatabase

from entraide.intake.usecases.ports import Action
from entraide.kit.principal import Principal

__all__ = ["Action", "AuditLog"]


class AuditLog:
    """Intake's `audit_log` collection: append only."""

    def __init__(self, db: AsyncDatabase[dict[str, Any]]) -> None:
        self.entries = db["audit_log"]

    async def ensure_indexes(self) -> None:
        await self.entries.create_index([("family_id", ASCENDING), ("at", DESCENDING)])
        await self.entries.create_index([("actor", ASCENDING), ("at", DESCENDING)])

    async def record(
        self,
        principal: Principal,
        action: Action,
        family_id: str | None,
        *,
        via: str,
        **details: str,
    ) -> None:
        """Write the entry; callers write it before they show or change anything."""
        who = {
            "actor": principal.subject,
            "actor_name": principal.name,  # the staff member's, for the journal's readers
            "role": principal.role.value,
            "association_id": principal.association_id,
        }
        await self._write(who, action, family_id, via=via, **details)

    async def record_event(
        self, action: Action, family_id: str, *, event_id: str, association_id: str
    ) -> None:
        """An entry caused by another service's event, not by a signed-in person."""
        who = {"actor": "system", "role": "system", "association_id": association_id}
        await self._write(who, action, family_id, via=f"event:{event_id}")

    async def _write(
        self, who: dict[str, Any], action: Action, family_id: str | None, **rest: str
    ) -> None:
        entry = {"at": datetime.now(UTC), **who, "action": action.value, "family_id": family_id}
        await self.entries.insert_one(entry | rest)

    async def for_family(self, family_id: str, limit: int = 200) -> list[dict[str, Any]]:
        cursor = self.entries.find({"family_id": family_id}, {"_id": 0})
        return await cursor.sort("at", DESCENDING).limit(limit).to_list()
