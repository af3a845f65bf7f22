"""The data-protection officer's use cases, for the API, the pages and the scheduled
sweep: open a case (refused for a reference naming no subject to act on), read a case's
trail, run the retention sweep, read an access export, the anonymous statistics."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from entraide.contracts.vocab import SubjectKind
from entraide.privacy.domain.cases import Case, CaseKind
from entraide.privacy.domain.refusals import KnownRef, Refusal, refusal
from entraide.privacy.domain.retention import RetentionPolicy
from entraide.privacy.usecases.cases import Rights
from entraide.privacy.usecases.ports import AuditLog, Notices, Row, Sender, Subjects
from entraide.privacy.usecases.sweep import SweepReport, sweep


class RefusedError(ValueError):
    """No case opened: the reference names no subject to erase or to export."""

    def __init__(self, reason: Refusal, known: KnownRef) -> None:
        super().__init__(reason.value)
        self.reason, self.known = reason, known


@dataclass(frozen=True)
class Privacy:
    subjects: Subjects
    rights: Rights
    notices: Notices
    audit: AuditLog
    policy: RetentionPolicy
    sender: Sender

    @property
    def clock(self) -> Callable[[], datetime]:
        return self.rights.clock

    async def open_case(
        self,
        kind: CaseKind,
        subject_ref: str,
        subject_kind: SubjectKind,
        *,
        actor: str,
        case_id: str | None = None,
    ) -> Case:
        """Open the officer's case, once the registry or the key vault shows the reference
        names a subject of that kind not erased yet (`domain.refusals.refusal`); else
        `RefusedError`, and the refusal is in the audit trail. `case_id`: its own, if the
        caller chose it (a case stored already under it is not opened twice)."""
        subject = await self.subjects.get(subject_ref)
        known = KnownRef(
            registered=None if subject is None else subject.kind,
            erased_at=await self.subjects.erased_at(subject_ref),
            keys=tuple(await self.rights.vault.traces_of(subject_ref)),
        )
        reason = refusal(subject_kind, known)
        if reason is not None:
            await self.audit.record(
                None, "case-refused", actor=actor, kind=kind.value, reason=reason.value
            )
            raise RefusedError(reason, known)
        return await self.rights.open(kind, subject_ref, subject_kind, actor=actor, case_id=case_id)

    async def trail(self, case_id: str) -> list[Row]:
        """The case's audit trail, oldest first."""
        return await self.audit.of_case(case_id)

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
            None,
            action,
            actor=actor,
            at=report.at,
            expired=dict(report.expired),
            warnings=dict(report.warnings),
        )
        return report

    async def sweep_when_due(self, every: timedelta, *, actor: str) -> SweepReport | None:
        """The sweep, if none ran (by any replica) within `every`: a service restarted more
        often than that still sweeps, and replicas do not each sweep (None: not due)."""
        last = await self.audit.last_at("sweep-run")
        if last is not None and self.clock() - last < every:
            return None
        return await self.sweep(dry_run=False, actor=actor)

    async def export(self, case_id: str, *, actor: str, form: str) -> dict[str, Any] | None:
        """The case's access export, opened for the officer; the read is audited."""
        found = await self.rights.export(case_id)
        if found is not None:
            await self.audit.record(case_id, "export-read", actor=actor, form=form)
        return found

    async def statistics(self) -> list[Row]:
        """Anonymous counts of erased subjects by year, kind, département, reason."""
        return await self.subjects.statistics()
