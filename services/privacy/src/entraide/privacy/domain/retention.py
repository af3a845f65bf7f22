"""How long privacy keeps a subject after the last contact, and when it warns ahead."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from entraide.contracts.paris import add_months, add_years
from entraide.contracts.vocab import SubjectKind

__all__ = ["RetentionPolicy", "add_months", "add_years"]


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
