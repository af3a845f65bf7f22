"""Intake's answer to privacy's commands: erase or export a family, found by its `family_ref`.

Erasure destroys the family's key first (every sealed copy becomes unreadable at once,
backups included), then deletes its document, requests, contacts and pending events.
Audit-log entries stay: they hold staff ids and the internal family id, no family data.
"""

from dataclasses import asdict
from datetime import datetime
from enum import Enum
from typing import Any

from pydantic import BaseModel

from entraide.contracts.events import AccessRequested, ErasureRequested
from entraide.contracts.vocab import SubjectKind
from entraide.intake import sealing
from entraide.intake.model import Family
from entraide.intake.ports import AuditTrail, Families, FamilyKeys

Doc = dict[str, Any]
INTERNAL = ("lookup", "version", "events")


class IntakeRights:
    def __init__(self, families: Families, keys: FamilyKeys, audit: AuditTrail) -> None:
        self.families, self.keys, self.audit = families, keys, audit

    async def erase(self, command: ErasureRequested) -> dict[str, int]:
        family = await self._family(command.subject_kind, command.subject_ref)
        if family is None:  # never here, or already erased (a redelivery)
            return {}
        await self.keys.destroy(family.id)
        deleted = await self.families.delete(family.id)
        return {
            "families": deleted,
            "requests": len(family.requests),
            "contacts": len(family.contacts),
            "keys": 1,
        }

    async def export(self, command: AccessRequested) -> Doc:
        family = await self._family(command.subject_kind, command.subject_ref)
        if family is None:
            return {}
        key = await self.keys.existing(family.id)
        part: Doc = {k: v for k, v in asdict(family).items() if k not in INTERNAL}
        if key is not None:
            part["identity"] = sealing.unseal(key, family.id, family.identity)
            for request, shown in zip(family.requests, part["requests"], strict=True):
                shown["notes"] = sealing.unseal(key, family.id, request.notes)
            for contact, shown in zip(family.contacts, part["contacts"], strict=True):
                shown["note"] = sealing.unseal(key, family.id, contact.note)
        readers = await self.audit.for_family(family.id)
        exported: Doc = _json({"family": part, "record_reads": readers})
        return exported

    async def _family(self, kind: SubjectKind, ref: str) -> Family | None:
        return await self.families.by_ref(ref) if kind == SubjectKind.FAMILY else None


def _json(value: Any) -> Any:
    """What the export holds, as JSON: dates as ISO 8601, anything else unknown as text."""
    if isinstance(value, dict):
        return {str(k): _json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json(v) for v in value]
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)
