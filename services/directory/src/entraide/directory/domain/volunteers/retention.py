"""Would-be volunteers privacy may never have heard of are kept 3 years after their
application's last change, then deleted by directory itself. Privacy registers an
applicant from the applications topic, which keeps 90 days: one whose last change was
older when privacy first read it (declined, left before approval, never reviewed) is in no
registry. An approved volunteer is privacy's (the compacted volunteers topic): never here.
Pure: no I/O."""

from dataclasses import dataclass
from datetime import datetime

from entraide.directory.domain.volunteers.rules import Status

# the statuses of an application never approved (approval leads to approved, paused, or
# left with an approval date: `Volunteer.change`)
NEVER_APPROVED = frozenset({Status.APPLIED, Status.IN_REVIEW, Status.DECLINED, Status.LEFT})


@dataclass(frozen=True)
class Applicant:
    """An application as the retention pass reads it: no identity, no contact."""

    id: str
    volunteer_ref: str
    revision: int
    status: Status
    approved_at: datetime | None
    last_change: datetime  # the record's `updated_at`: never before its last announcement

    def expired(self, before: datetime) -> bool:
        """Never approved, and unchanged since before `before`."""
        return (
            self.approved_at is None and self.status in NEVER_APPROVED and self.last_change < before
        )
