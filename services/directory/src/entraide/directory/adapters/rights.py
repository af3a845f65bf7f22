"""Directory's answer to privacy's commands (erasure, access) for a volunteer.

Added by the privacy work (issue 6): every document naming the volunteer's reference is
deleted or exported (the kit's `ReferencedDocuments`), and the volunteer's own data key
is destroyed first, so any copy left behind (a backup, a log) stays unreadable (privacy's
vault destroys it again, with every other key of the subject, when the case closes).
Left to directory: a tombstone on the compacted volunteers topic for an erased volunteer.
"""

from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from entraide.contracts.events import AccessRequested, ErasureRequested
from entraide.contracts.vocab import SubjectKind
from entraide.directory.domain.volunteers.sealing import unseal
from entraide.directory.usecases.ports import VolunteerKeyStore
from entraide.kit.rights import ReferencedDocuments, jsonable

Doc = dict[str, Any]


class DirectoryRights(ReferencedDocuments):
    def __init__(self, db: AsyncDatabase[Doc], keys: VolunteerKeyStore) -> None:
        super().__init__(db)
        self.keys = keys

    async def erase(self, command: ErasureRequested) -> dict[str, int]:
        volunteer = await self._volunteer(command.subject_kind, command.subject_ref)
        keys = {}
        if volunteer is not None:
            await self.keys.destroy(volunteer["_id"])
            keys["keys"] = 1
        return await super().erase(command) | keys

    async def export(self, command: AccessRequested) -> Doc:
        part = await super().export(command)
        volunteer = await self._volunteer(command.subject_kind, command.subject_ref)
        key = await self.keys.existing(volunteer["_id"]) if volunteer else None
        if volunteer is not None and key is not None and "identity" in volunteer:
            part["identity"] = jsonable(unseal(key, volunteer["_id"], volunteer["identity"]))
        return part

    async def _volunteer(self, kind: SubjectKind, ref: str) -> Doc | None:
        if kind != SubjectKind.VOLUNTEER:
            return None
        return await self.db["volunteers"].find_one({"volunteer_ref": ref})
