"""Privacy's use cases in one place, for the API, the pages and the scheduled loops."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from entraide.privacy.audit import AuditTrail
from entraide.privacy.cases import Rights
from entraide.privacy.domain import RetentionPolicy
from entraide.privacy.notices import Notices
from entraide.privacy.registry import SubjectRegistry
from entraide.privacy.sweep import SweepReport, sweep


@dataclass(frozen=True)
class Privacy:
    registry: SubjectRegistry
    rights: Rights
    notices: Notices
    audit: AuditTrail
    policy: RetentionPolicy

    @property
    def clock(self) -> Callable[[], datetime]:
        return self.rights.clock

    async def sweep(self, *, dry_run: bool, actor: str) -> SweepReport:
        report = await sweep(
            self.registry, self.rights, self.notices, self.policy, now=self.clock(), dry_run=dry_run
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
