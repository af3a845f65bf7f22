"""The volunteers' funnel: applications received, approved, declined, then volunteers
active and honorability checks pending at each month's end, from directory's application
events.

The observatory remembers each open application's latest state under the volunteer's
pseudonymous reference (erasure reaches it; a declined or left one is forgotten at once:
nothing more to count) and the last month whose end it counted; the facts it yields
carry no reference. A month's end is counted once the month is over (an
event of a later month, or the monthly roll-over), in the state the application had
then: the current month shows its active volunteers and pending checks once it closes.
Pure: no I/O.
"""

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from entraide.contracts.events import (
    ApplicationStatus,
    HonorabilityCheck,
    VolunteerApplicationChanged,
)
from entraide.observatory.domain.facts import Fact, FactKind, days_between, month_of


class Stage(StrEnum):
    """The funnel's columns (the facts' `outcome`)."""

    RECEIVED = "received"  # applied in the month
    APPROVED = "approved"  # first approved in the month (days since the application)
    DECLINED = "declined"  # declined in the month
    ACTIVE = "active"  # approved and not paused at the month's end
    PENDING = "check-pending"  # honorability check asked, not cleared, at the month's end


# counted once a month is over: the month in progress has no figure for them yet (not 0)
AT_MONTH_END = (Stage.ACTIVE.value, Stage.PENDING.value)
CLOSED = frozenset({ApplicationStatus.DECLINED, ApplicationStatus.LEFT})


@dataclass(frozen=True)
class Applicant:
    """An application as last seen (transient, under the pseudonymous reference)."""

    volunteer_ref: str
    association: str
    departement: str
    needs: tuple[str, ...]
    status: str
    honorability: str
    counted_through: str  # the last month (YYYY-MM) whose end was counted
    approval_counted: bool = False
    decline_counted: bool = False

    @property
    def closed(self) -> bool:
        """Declined or left: nothing more to count at any month's end."""
        return self.status in CLOSED

    def fact(self, stage: Stage, month: str, days: float | None = None) -> Fact:
        return Fact(
            kind=FactKind.APPLICATION,
            month=month,
            departement=self.departement,
            association=self.association,
            needs=self.needs,
            outcome=stage.value,
            days=days,
        )

    def month_end(self, month: str) -> tuple[Fact, ...]:
        """What this application counts for at the end of `month`."""
        facts = []
        if self.status == ApplicationStatus.APPROVED:
            facts.append(self.fact(Stage.ACTIVE, month))
        if not self.closed and self.honorability == HonorabilityCheck.PENDING:
            facts.append(self.fact(Stage.PENDING, month))
        return tuple(facts)


@dataclass(frozen=True)
class ApplicationStep:
    applicant: Applicant
    facts: tuple[Fact, ...] = ()


def previous_month(month: str) -> str:
    year, number = int(month[:4]), int(month[5:])
    return f"{year - 1:04d}-12" if number == 1 else f"{year:04d}-{number - 1:02d}"


def next_month(month: str) -> str:
    year, number = int(month[:4]), int(month[5:])
    return f"{year + 1:04d}-01" if number == 12 else f"{year:04d}-{number + 1:02d}"


def closed_months(applicant: Applicant, now: datetime) -> ApplicationStep:
    """The month ends between the last one counted and `now`, in the applicant's state."""
    last, facts = previous_month(month_of(now)), list[Fact]()
    month = next_month(applicant.counted_through)
    while month <= last:
        facts += applicant.month_end(month)
        month = next_month(month)
    if last <= applicant.counted_through:
        return ApplicationStep(applicant)
    return ApplicationStep(replace(applicant, counted_through=last), tuple(facts))


def application_step(
    known: Applicant | None, event: VolunteerApplicationChanged
) -> ApplicationStep:
    """An application's new state, the month ends it passed, and what it counts now."""
    facts: list[Fact] = []
    if known is not None:
        closed = closed_months(known, event.changed_at)
        known, facts = closed.applicant, list(closed.facts)
    first_month = previous_month(month_of(event.changed_at))
    now = Applicant(
        volunteer_ref=event.volunteer_ref,
        association=event.association_id,
        departement=event.departement,
        needs=tuple(sorted(event.needs)),
        status=event.status.value,
        honorability=event.honorability.value,
        counted_through=known.counted_through if known else first_month,
        approval_counted=known.approval_counted if known else False,
        decline_counted=known.decline_counted if known else False,
    )
    if known is None:
        facts.append(now.fact(Stage.RECEIVED, month_of(event.applied_at)))
    if event.approved_at is not None and not now.approval_counted:
        days = days_between(event.applied_at, event.approved_at)
        facts.append(now.fact(Stage.APPROVED, month_of(event.approved_at), days))
        now = replace(now, approval_counted=True)
    if event.status is ApplicationStatus.DECLINED and not now.decline_counted:
        facts.append(now.fact(Stage.DECLINED, month_of(event.changed_at)))
        now = replace(now, decline_counted=True)
    return ApplicationStep(now, tuple(facts))
