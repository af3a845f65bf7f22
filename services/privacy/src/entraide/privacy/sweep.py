"""The retention sweep: warn ahead, then erase subjects past their retention, by the same
erasure cases a person's request opens (no TTL index: FerretDB has none, MongoDB's run late).

A dry run reports what a real run would do and changes nothing.
"""

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from entraide.contracts.vocab import ErasureReason, SubjectKind
from entraide.privacy.cases import Rights
from entraide.privacy.domain import CaseKind, RetentionPolicy
from entraide.privacy.notices import Notices
from entraide.privacy.registry import SubjectRegistry

log = logging.getLogger(__name__)
ACTOR = "retention-sweep"


@dataclass
class SweepReport:
    at: datetime
    dry_run: bool
    scanned: int = 0
    expired: Counter[str] = field(default_factory=Counter)  # per kind
    expired_by_departement: Counter[str] = field(default_factory=Counter)
    warnings: Counter[str] = field(default_factory=Counter)  # per warning ("30d", "7d")
    cases_opened: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(),
            "dry_run": self.dry_run,
            "scanned": self.scanned,
            "expired": dict(self.expired),
            "expired_by_departement": dict(self.expired_by_departement),
            "warnings": dict(self.warnings),
            "cases_opened": self.cases_opened,
        }


async def sweep(
    registry: SubjectRegistry,
    rights: Rights,
    notices: Notices,
    policy: RetentionPolicy,
    *,
    now: datetime,
    dry_run: bool,
    batch: int = 1000,
) -> SweepReport:
    """Erase the expired subjects and warn those about to expire (or only report, dry)."""
    report = SweepReport(now, dry_run)
    being_erased = await registry.being_erased()
    for kind in policy.years:
        horizon = policy.cutoff(kind, now + timedelta(days=max(policy.warnings, default=0)))
        expired: list[str] = []
        warned: list[tuple[str, dict[str, Any], str]] = []
        async for doc in registry.candidates(kind.value, horizon, batch=batch):
            if doc["_id"] in being_erased:  # an earlier sweep opened its case
                continue
            report.scanned += 1
            last = doc["last_contact_at"]
            if policy.expired(kind, last, now):
                expired.append(doc["_id"])
                report.expired_by_departement[doc.get("departement") or "?"] += 1
                continue
            for label in policy.warnings_due(kind, last, now, doc.get("warned") or {}):
                warned.append((label, doc, kind.value))
        report.expired[kind.value] = len(expired)
        report.warnings.update(label for label, _, _ in warned)
        if not dry_run:
            report.cases_opened += await _erase(registry, rights, kind, expired, now, batch)
            await _warn(registry, notices, policy, warned, now)
    if not dry_run:
        await notices.deliver(now)
    log.info("retention sweep", extra=report.as_dict())
    return report


async def _erase(
    registry: SubjectRegistry,
    rights: Rights,
    kind: SubjectKind,
    refs: list[str],
    now: datetime,
    batch: int,
) -> int:
    """Open an erasure case for each subject not already marked as being erased."""
    opened = 0
    for start in range(0, len(refs), batch):
        marked = await registry.mark_erasing(refs[start : start + batch], now)
        await rights.open_many(
            CaseKind.ERASURE,
            [(ref, kind) for ref in marked],
            actor=ACTOR,
            reason=ErasureReason.RETENTION,
        )
        opened += len(marked)
    return opened


async def _warn(
    registry: SubjectRegistry,
    notices: Notices,
    policy: RetentionPolicy,
    warned: list[tuple[str, dict[str, Any], str]],
    now: datetime,
) -> None:
    docs = []
    for label, subject, kind in warned:
        last = subject["last_contact_at"]
        docs.append(
            {
                "subject_ref": subject["_id"],
                "warning": label,
                "channels": subject.get("contact_channels", []),
                "expires_at": policy.expires_at(SubjectKind(kind), last),
                "due_at": now,
                "sent_at": None,
            }
        )
        await registry.mark_warned([subject["_id"]], label, last)
    await notices.add(docs)
