"""A volunteer's objection and rectification, asked through the data-protection officer.

Privacy routes them to the service owning the subject: directory for a volunteer, as
intake for a family. Each is noted on the volunteer's record (the case's id: the card on
`/association` says it to their association's staff) and acknowledged with counts, never
values; a redelivered command changes nothing.

- Objection to their data being used to propose families: an approved volunteer is
  paused, as their own « pause » does, so matching hears they are not available, withdraws
  their proposals not yet accepted and proposes those families to someone else (a support
  already agreed goes on until their association ends it). Resuming from their space is
  theirs to do again.
- Rectification: their association's staff correct the record with them (they hold the
  volunteer's word and the application), from their space's « Corriger ses coordonnées »
  (`volunteers.correct`), which tells privacy it is done.
"""

from collections.abc import Callable
from datetime import UTC, datetime

from entraide.directory.domain.records import ConflictError
from entraide.directory.domain.volunteers.rules import Status
from entraide.directory.usecases.ports import UnitOfWork, VolunteerDocuments

ATTEMPTS = 5  # another write first (a review, the volunteer's space): again
OBJECTIONS, RECTIFICATIONS = "objections", "rectifications"  # the record's notes
DONE = "rectifications_done"  # the cases their staff corrected: never flagged again


class VolunteerRights:
    def __init__(
        self,
        uow: UnitOfWork,
        documents: VolunteerDocuments,
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.uow, self.documents, self.clock = uow, documents, clock

    async def object(self, volunteer_ref: str, case_id: str) -> dict[str, int]:
        """Noted, and no family proposed any more (an approved volunteer paused)."""
        doc = await self.documents.by_ref(volunteer_ref)
        if doc is None:
            return {}  # never here, or erased
        noted = await self.documents.note(volunteer_ref, OBJECTIONS, case_id)
        # paused even when noted already: a first delivery may have noted, then failed
        paused = await self._pause(doc["_id"])
        return {"volunteers": 1, "paused": 1} if paused else {"volunteers": int(noted)}

    async def rectify(self, volunteer_ref: str, case_id: str) -> dict[str, int]:
        """Noted on the record for their association's staff (who then correct it, and
        privacy hears it is done); counted when noted by a first delivery too, whose
        answer was lost: privacy closes a case with nothing flagged as « no record ». A
        case they corrected already is counted again (privacy ignores it: closed), not
        noted again."""
        if await self.documents.by_ref(volunteer_ref) is None:
            return {}  # never here, or erased
        await self.documents.note(volunteer_ref, RECTIFICATIONS, case_id, unless_in=DONE)
        return {"volunteers": 1}

    async def withdraw_rectification(self, volunteer_ref: str, case_id: str) -> bool:
        """The officer closed the case without the correction (refused, not applicable):
        its flag leaves the card and the case is noted done, in one write, so a command
        delivered later flags nothing; no completion goes back. Whether it was flagged."""
        return await self.documents.move(volunteer_ref, case_id, out_of=RECTIFICATIONS, into=DONE)

    async def _pause(self, volunteer_id: str) -> bool:
        """Paused if approved (others are proposed to no family: nothing to stop)."""
        for _ in range(ATTEMPTS):
            volunteer = await self.uow.volunteers.get(volunteer_id)
            if volunteer is None or volunteer.status is not Status.APPROVED:
                return False
            volunteer.change({"status": Status.PAUSED.value}, self.clock())
            if await self.uow.commit(volunteer):
                return True
        raise ConflictError(volunteer_id)
