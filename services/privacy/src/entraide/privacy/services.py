"""Privacy's use cases in one place, for the API, the pages and the scheduled loops."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from entraide.privacy.cases import Rights
from entraide.privacy.domain import RetentionPolicy
from entraide.privacy.notices import LoggingSender
from entraide.privacy.ports import AuditLog, Notices, Row, Sender, Subjects
from entraide.privacy.sweep import SweepReport, sweep


@dataclass(frozen=True)
class Privacy:
    subjects: Subjects
    rights: Rights
    notices: Notices
    audit: AuditLog
    policy: RetentionPolicy
    sender: Sender = field(default_factory=LoggingSender)

    @property
    def clock(self) -> Callable[[], datetime]:
        return self.rights.clock

    async def sweep(self, *, dry_run: bool, actor: str) -> SweepReport:
        report = await sweep(
            self.subjects,
            self.rights,
            self.notices,
            self.policy,
            now=self.clock(),
            dry_run=dry_run,
            sender=self.sender,
        )
        action = "sweep-dry-run" if dry_run else "sweep-run"
        await self.audit.record(
            None, action, actor=actor, expired=dict(report.expired), warnings=dict(report.warnings)
        )
        return report

    async def export(self, case_id: str, *, actor: str, form: str) -> dict[str, Any] | None:
        """The case's access export, opened for the officer; the read is audited."""
        found = await self.rights.export(case_id)
        if found is not None:
            await self.audit.record(case_id, "export-read", actor=actor, form=form)
        return found

    async def statistics(self) -> list[Row]:
        """Anonymous counts of erased subjects by year, kind, département, reason."""
        return await self.subjects.statistics()
