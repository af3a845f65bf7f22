"""How long privacy keeps a subject after the last contact, and when it warns ahead."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from entraide.contracts.vocab import SubjectKind


def add_months(at: datetime, months: int) -> datetime:
    """The same day `months` later (or earlier), the month's last day if it has none."""
    index = at.year * 12 + at.month - 1 + months
    year, month = divmod(index, 12)
    for day in (at.day, 30, 29, 28):
        try:
            return at.replace(year=year, month=month + 1, day=min(at.day, day))
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has a 28th")


def add_years(at: datetime, years: int) -> datetime:
    return add_months(at, 12 * years)


@dataclass(frozen=True)
class RetentionPolicy:
    """How long each kind of subject is kept after the last contact, and when to warn."""

    years: Mapping[SubjectKind, int] = field(
        default_factory=lambda: {SubjectKind.FAMILY: 3, SubjectKind.VOLUNTEER: 3}
    )
    warnings: tuple[int, ...] = (30, 7)  # days before expiry

    def expires_at(self, kind: SubjectKind, last_contact: datetime) -> datetime:
        return add_years(last_contact, self.years[kind])

    def expired(self, kind: SubjectKind, last_contact: datetime, now: datetime) -> bool:
        return now >= self.expires_at(kind, last_contact)

    def cutoff(self, kind: SubjectKind, now: datetime) -> datetime:
        """A bound for the store: every expired subject's last contact is at or before it."""
        return add_years(now, -self.years[kind]) + timedelta(days=1)

    def warnings_due(
        self,
        kind: SubjectKind,
        last_contact: datetime,
        now: datetime,
        sent: Mapping[str, datetime],
    ) -> list[str]:
        """Warnings ("30d", "7d") now due and not yet sent for this last contact.

        A warning counts as sent only for the last contact it announced: a new contact
        moves the expiry and the warnings start again.
        """
        expiry = self.expires_at(kind, last_contact)
        if now >= expiry:
            return []
        return [
            f"{days}d"
            for days in sorted(self.warnings, reverse=True)
            if now >= expiry - timedelta(days=days) and sent.get(f"{days}d") != last_contact
        ]
