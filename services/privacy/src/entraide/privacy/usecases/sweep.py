"""The retention sweep: warn ahead, then erase subjects past their retention, by the same
erasure cases a person's request opens (no TTL index: a TTL index would delete without a
case, and MongoDB's run late).

Each subject it erases is claimed on the registry first (`Subjects.claim_for_erasure`), so
two sweeps, or two replicas sweeping at once, never open two cases for one subject, and a
later sweep passes it by. A dry run reports what a real run would do and changes nothing.
"""

import logging
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from entraide.contracts.vocab import ErasureReason, SubjectKind
from entraide.privacy.domain.cases import CaseKind
from entraide.privacy.domain.retention import RetentionPolicy
from entraide.privacy.domain.subjects import Notice, Subject
from entraide.privacy.usecases.cases import Rights
from entraide.privacy.usecases.notices import deliver
from entraide.privacy.usecases.ports import Notices, Sender, Subjects

log = logging.getLogger(__name__)
ACTOR = "retention-sweep"


@dataclass
class SweepReport:
    at: datetime
    dry_run: bool
    registered: Counter[str] = field(default_factory=Counter)  # per kind, in the registry
    scanned: int = 0  # those near or past their retention, examined one by one
    expired: Counter[str] = field(default_factory=Counter)  # per kind
    expired_by_departement: Counter[str] = field(default_factory=Counter)
    warnings: Counter[str] = field(default_factory=Counter)  # per warning ("30d", "7d")
    cases_opened: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(),
            "dry_run": self.dry_run,
            "registered": dict(self.registered),
            "scanned": self.scanned,
            "expired": dict(self.expired),
            "expired_by_departement": dict(self.expired_by_departement),
            "warnings": dict(self.warnings),
            "cases_opened": self.cases_opened,
        }


async def sweep(
    subjects: Subjects,
    rights: Rights,
    notices: Notices,
    policy: RetentionPolicy,
    *,
    now: datetime,
    dry_run: bool,
    sender: Sender,
    batch: int = 1000,
) -> SweepReport:
    """Erase the expired subjects and warn those about to expire (or only report, dry)."""
    report = SweepReport(now, dry_run)
    claim = uuid.uuid4().hex  # this run's, on the subjects it opens cases for
    for kind in policy.years:
        report.registered[kind.value] = await subjects.registered(kind)
        horizon = policy.cutoff(kind, now + timedelta(days=max(policy.warnings, default=0)))
        expired: list[str] = []
        warned: list[tuple[str, Subject]] = []
        async for subject in subjects.candidates(kind, horizon):  # those not being erased
            report.scanned += 1
            if policy.expired(kind, subject.last_contact_at, now):
                expired.append(subject.ref)
                report.expired_by_departement[subject.departement or "?"] += 1
                continue
            due = policy.warnings_due(kind, subject.last_contact_at, now, subject.warned)
            warned.extend((label, subject) for label in due)
        report.expired[kind.value] = len(expired)
        report.warnings.update(label for label, _ in warned)
        if not dry_run:
            report.cases_opened += await _erase(subjects, rights, kind, expired, claim, now, batch)
            await _warn(subjects, notices, policy, warned, now)
    if not dry_run:
        await deliver(notices, sender, now)
    log.info("retention sweep", extra=report.as_dict())
    return report


async def _erase(
    subjects: Subjects,
    rights: Rights,
    kind: SubjectKind,
    refs: list[str],
    claim: str,
    now: datetime,
    batch: int,
) -> int:
    """Open an erasure case for each subject this sweep claims first."""
    opened = 0
    for start in range(0, len(refs), batch):
        won = await subjects.claim_for_erasure(refs[start : start + batch], claim=claim, at=now)
        await rights.open_many(
            CaseKind.ERASURE,
            [(ref, kind) for ref in won],
            actor=ACTOR,
            reason=ErasureReason.RETENTION,
        )
        opened += len(won)
    return opened


async def _warn(
    subjects: Subjects,
    notices: Notices,
    policy: RetentionPolicy,
    warned: list[tuple[str, Subject]],
    now: datetime,
) -> None:
    queued = []
    for label, subject in warned:
        last = subject.last_contact_at
        queued.append(
            Notice(
                uuid.uuid4().hex,
                subject.ref,
                label,
                subject.contact_channels,
                policy.expires_at(subject.kind, last),
                due_at=now,
            )
        )
        await subjects.mark_warned(subject.ref, label, last)
    await notices.add(queued)
