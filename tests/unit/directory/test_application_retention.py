"""Would-be volunteers never approved are erased 3 years after their application's last
change (`usecases.application_retention`, against fakes): declined, left before approval
or never reviewed; through directory's erasure of a volunteer; an approved one, one a day
younger, and one changed as the pass reaches it stay."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from entraide.contracts.events import ErasureRequested
from entraide.contracts.paris import years_before
from entraide.contracts.vocab import ErasureReason, SubjectKind
from entraide.directory.domain.volunteers.retention import Applicant
from entraide.directory.domain.volunteers.rules import Status
from entraide.directory.usecases.application_retention import purge_expired

NOW = datetime(2029, 12, 2, 9, tzinfo=UTC)
EDGE = years_before(NOW, 3)


def applicant(n: int, changed: datetime, status: Status, approved: bool = False) -> Applicant:
    approved_at = changed - timedelta(days=30) if approved else None
    return Applicant(f"vol-{n}", f"ref-volunteer-{n}", 4, status, approved_at, changed)


class Applications:
    """The pass's two calls over a dict; `changed` gets a new revision just before its claim."""

    def __init__(self, *applicants: Applicant, changed: str | None = None) -> None:
        self.stored = {a.id: a for a in applicants}
        self.changed = changed
        self.claimed: list[str] = []

    async def expired(self, before: datetime, limit: int) -> list[Applicant]:
        found = [a for a in self.stored.values() if a.expired(before) and a.id not in self.claimed]
        return found[:limit]

    async def claim_expired(self, applicant: Applicant, before: datetime) -> bool:
        if applicant.id == self.changed:  # staff reviewed it (a contact) meanwhile
            stored = self.stored[applicant.id]
            self.stored[applicant.id] = replace(stored, revision=5, last_change=NOW)
        stored = self.stored[applicant.id]
        if stored.revision != applicant.revision or not stored.expired(before):
            return False
        self.claimed.append(applicant.id)
        return True


class Erasure:
    """Directory's erasure: forgets the volunteer the command names."""

    def __init__(self, applications: Applications) -> None:
        self.applications = applications
        self.commands: list[ErasureRequested] = []

    async def erase(self, command: ErasureRequested) -> dict[str, int]:
        self.commands.append(command)
        stored = self.applications.stored
        [gone] = [a.id for a in stored.values() if a.volunteer_ref == command.subject_ref]
        del stored[gone]
        return {"volunteers": 1, "keys": 1}


async def test_applications_never_approved_go_three_years_after_their_last_change() -> None:
    applications = Applications(
        applicant(1, EDGE - timedelta(days=1), Status.DECLINED),  # 3 years and a day: goes
        applicant(2, EDGE + timedelta(days=1), Status.DECLINED),  # a day less: stays
        applicant(3, EDGE - timedelta(days=1), Status.APPLIED),  # never reviewed: goes
        applicant(4, EDGE - timedelta(days=400), Status.LEFT),  # withdrew: goes
        applicant(5, EDGE - timedelta(days=900), Status.APPROVED, approved=True),
        applicant(6, EDGE - timedelta(days=900), Status.LEFT, approved=True),  # privacy's
        applicant(7, EDGE - timedelta(days=2), Status.IN_REVIEW),  # reviewed as the pass runs
        changed="vol-7",
    )
    erasure = Erasure(applications)
    gone = await purge_expired(applications, erasure, now=NOW, years=3)
    assert gone == 3
    assert sorted(applications.stored) == ["vol-2", "vol-5", "vol-6", "vol-7"]
    assert [c.subject_ref for c in erasure.commands] == [
        "ref-volunteer-1",
        "ref-volunteer-3",
        "ref-volunteer-4",
    ]
    command = erasure.commands[0]
    assert (command.subject_kind, command.reason) == (
        SubjectKind.VOLUNTEER,
        ErasureReason.RETENTION,
    )


async def test_an_approved_volunteer_is_never_erased_here_whatever_her_age() -> None:
    """The store's answer is checked again: an approved one is privacy's to erase."""
    approved = [
        applicant(n, EDGE - timedelta(days=3000), status, approved=True)
        for n, status in enumerate([Status.APPROVED, Status.PAUSED, Status.LEFT])
    ]
    applications = Applications(*approved)

    async def everyone(before: datetime, limit: int) -> list[Applicant]:
        return list(applications.stored.values())

    applications.expired = everyone  # type: ignore[method-assign]
    erasure = Erasure(applications)
    assert await purge_expired(applications, erasure, now=NOW, years=3) == 0
    assert len(applications.stored) == 3
    assert erasure.commands == []


def test_the_limit_is_the_same_day_years_before() -> None:
    assert years_before(NOW, 3) == datetime(2026, 12, 2, 9, tzinfo=UTC)
    assert years_before(datetime(2028, 2, 29, tzinfo=UTC), 3) == datetime(2025, 2, 28, tzinfo=UTC)
