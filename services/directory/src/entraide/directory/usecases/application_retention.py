"""Directory's own retention pass over would-be volunteers (`domain.volunteers.retention`):
an application never approved whose last change is older than the retention (3 years) is
erased as privacy's erasure of a volunteer erases her (`adapters.rights`: her key first,
her record, the hashes she is found by, her messages, any tombstone owed), so nothing is
left behind. Each is claimed first, guarded by the revision and the date read: one
changed meanwhile (a new contact, an approval) stays, and a write after the claim fails
(`VolunteerStore.replace`), so two replicas or a review in between delete nobody by
mistake; a pass a crash cut short finds the claimed one again."""

from datetime import datetime
from typing import Protocol

from entraide.contracts.events import ErasureRequested
from entraide.contracts.paris import years_before
from entraide.contracts.vocab import ErasureReason, SubjectKind
from entraide.directory.domain.volunteers.retention import Applicant

BATCH = 500
CASE = "application-retention"  # no privacy case: directory's own pass


class ExpiringApplications(Protocol):
    """The volunteers' documents, as this pass reads them (`VolunteerStore`)."""

    async def expired(self, before: datetime, limit: int) -> list[Applicant]:
        """Applications never approved, unchanged since before `before`."""
        ...

    async def claim_expired(self, applicant: Applicant, before: datetime) -> bool:
        """Mark the application for erasure if it is still as read and expired (its
        revision and date): no write goes through after; whether it was."""
        ...


class Erasure(Protocol):
    """Directory's answer to privacy's erasure (`adapters.rights.DirectoryRights`)."""

    async def erase(self, command: ErasureRequested) -> dict[str, int]: ...


async def purge_expired(
    applications: ExpiringApplications, erasure: Erasure, *, now: datetime, years: int
) -> int:
    """Erase the applications past their retention, a batch at a time; how many."""
    before = years_before(now, years)
    gone = 0
    while batch := await applications.expired(before, BATCH):
        removed = 0
        for applicant in batch:
            if not applicant.expired(before):  # an approved volunteer is privacy's
                continue
            if not await applications.claim_expired(applicant, before):
                continue  # changed meanwhile
            await erasure.erase(_erasure(applicant.volunteer_ref, now))
            removed += 1
        gone += removed
        if removed == 0 or len(batch) < BATCH:
            return gone
    return gone


def _erasure(volunteer_ref: str, now: datetime) -> ErasureRequested:
    return ErasureRequested(
        case_id=CASE,
        subject_ref=volunteer_ref,
        subject_kind=SubjectKind.VOLUNTEER,
        deadline=now,
        reason=ErasureReason.RETENTION,
    )
