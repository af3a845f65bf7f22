"""Intake's answer to privacy's commands: erase or export a family, found by its `family_ref`.

Erasure destroys the family's key first (every sealed copy becomes unreadable at once,
backups included), then deletes its document, requests, contacts and pending events.
Audit-log entries stay: they hold staff ids and the internal family id, no family data.
"""

from typing import Any

from entraide.contracts.events import AccessRequested, ErasureRequested
from entraide.contracts.kit.rights import jsonable
from entraide.contracts.vocab import SubjectKind
from entraide.intake import sealing
from entraide.intake.audit import AuditLog
from entraide.intake.keys import FamilyKeys
from entraide.intake.store import FamilyStore

Doc = dict[str, Any]
INTERNAL = ("outbox", "outbox_pending", "lease_until", "lease_owner", "lookup", "version")


class IntakeRights:
    def __init__(self, families: FamilyStore, keys: FamilyKeys, audit: AuditLog) -> None:
        self.families, self.keys, self.audit = families, keys, audit

    async def erase(self, command: ErasureRequested) -> dict[str, int]:
        doc = await self._family(command.subject_kind, command.subject_ref)
        if doc is None:  # never here, or already erased (a redelivery)
            return {}
        await self.keys.destroy(doc["_id"])
        deleted = await self.families.delete(doc["_id"])
        return {
            "families": deleted,
            "requests": len(doc.get("requests", [])),
            "contacts": len(doc.get("contacts", [])),
            "keys": 1,
        }

    async def export(self, command: AccessRequested) -> Doc:
        doc = await self._family(command.subject_kind, command.subject_ref)
        if doc is None:
            return {}
        family_id = doc["_id"]
        key = await self.keys.existing(family_id)
        family = {k: v for k, v in doc.items() if k not in INTERNAL}
        if key is not None:
            family["identity"] = sealing.unseal(key, family_id, doc["identity"])
            family["requests"] = [
                {**r, "notes": sealing.unseal(key, family_id, r["notes"])} for r in doc["requests"]
            ]
            family["contacts"] = [
                {**c, "note": sealing.unseal(key, family_id, c["note"])}
                for c in doc.get("contacts", [])
            ]
        readers = await self.audit.for_family(family_id)
        part: Doc = jsonable({"family": family, "record_reads": readers})
        return part

    async def _family(self, kind: SubjectKind, ref: str) -> Doc | None:
        return await self.families.by_ref(ref) if kind == SubjectKind.FAMILY else None
