"""Privacy's own answer to its commands: what the registry holds of the subject.

Erasure counts the subject in the anonymous statistics, leaves a tombstone (so a late
event cannot bring it back) and deletes its registry entry and warnings; the cases and
the audit trail stay: they hold the pseudonymous reference, never an identity.
"""

from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from entraide.contracts.events import AccessRequested, ErasureRequested
from entraide.contracts.kit.rights import jsonable
from entraide.privacy.cases import Rights
from entraide.privacy.notices import Notices
from entraide.privacy.registry import SubjectRegistry

Doc = dict[str, Any]


class PrivacyRights:
    def __init__(
        self, db: AsyncDatabase[Doc], registry: SubjectRegistry, notices: Notices, rights: Rights
    ) -> None:
        self.db, self.registry, self.notices, self.rights = db, registry, notices, rights

    async def erase(self, command: ErasureRequested) -> dict[str, int]:
        at = self.rights.clock()
        subjects = await self.registry.forget(
            command.subject_ref, case_id=command.case_id, reason=command.reason.value, at=at
        )
        notices = await self.notices.forget(command.subject_ref)
        return {"subjects": subjects, "notices": notices}

    async def export(self, command: AccessRequested) -> Doc:
        subject = await self.registry.get(command.subject_ref)
        cases = await self.rights.of_subject(command.subject_ref)
        part: Doc = jsonable(
            {
                "subject": subject,
                "notices": await self.notices.of_subject(command.subject_ref),
                "cases": [
                    {k: c.get(k) for k in ("_id", "kind", "opened_at", "deadline", "status")}
                    for c in cases
                ],
            }
        )
        return part
