"""Rights cases: open one, command every service, collect acknowledgements, retry, close.

Erasure and access are commands every service (privacy too) acknowledges; the watchdog
resends and escalates; privacy's own answer destroys the subject's keys (`answers`), a
closed erasure any made since, and closes its routed cases left waiting (`left_cases`).
Rectification and objection go to the subject's owner (`domain.cases`); the officer may
close one (then withdrawn from its owner). Cases, keys, trail, commands: `usecases.ports`.
"""

import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography.exceptions import InvalidTag

from entraide.contracts.events import AccessAcknowledged, PrivacyAck, RectificationCompleted
from entraide.contracts.vocab import ErasureReason, SubjectKind
from entraide.kit.export_seal import open_sealed
from entraide.privacy.domain import cases as rules
from entraide.privacy.domain.cases import Ack, Case, CaseKind, CaseStatus, Destroyed
from entraide.privacy.usecases import opening_trail
from entraide.privacy.usecases.access_keys import key_id, with_recipient
from entraide.privacy.usecases.left_cases import close_left_by_erasure, still_waiting
from entraide.privacy.usecases.ports import AuditLog, Cases, Commands, Keys

log = logging.getLogger(__name__)


class ExportDestroyedError(LookupError):
    """An access case whose export can no longer be opened: the subject's erasure destroyed
    the case's key since (`destroyed` says by which erasure, if it is still known)."""

    def __init__(self, case_id: str, destroyed: Destroyed) -> None:
        super().__init__(case_id)
        self.case_id, self.destroyed = case_id, destroyed


def utcnow() -> datetime:
    return datetime.now(UTC)


class Rights:
    """What moves a case: opening, acknowledgements, the watchdog, the officer's decision."""

    def __init__(
        self,
        cases: Cases,
        commands: Commands,
        vault: Keys,
        audit: AuditLog,
        *,
        services: Sequence[str],
        retry_after: timedelta,
        escalate_after: int,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.cases, self.commands, self.vault, self.audit = cases, commands, vault, audit
        self.services = tuple(services)
        self.retry_after, self.escalate_after, self.clock = retry_after, escalate_after, clock

    async def open(
        self,
        kind: CaseKind,
        subject_ref: str,
        subject_kind: SubjectKind,
        *,
        actor: str,
        reason: ErasureReason = ErasureReason.RIGHTS_REQUEST,
        case_id: str | None = None,
    ) -> Case:
        """Open a case and, for erasure and access, send its command to every service."""
        ids = None if case_id is None else [case_id]
        cases = await self.open_many(
            kind, [(subject_ref, subject_kind)], actor=actor, reason=reason, ids=ids
        )
        return cases[0]

    async def open_many(
        self,
        kind: CaseKind,
        subjects: Sequence[tuple[str, SubjectKind]],
        *,
        actor: str,
        reason: ErasureReason = ErasureReason.RIGHTS_REQUEST,
        ids: Sequence[str] | None = None,
    ) -> list[Case]:
        """Open one case per subject in a few writes (the retention sweep's batches); with
        `ids` (theirs, in order), a case stored already under its id is not opened twice."""
        now = self.clock()
        cases = []
        for n, (ref, subject_kind) in enumerate(subjects):
            case_id = ids[n] if ids else uuid.uuid4().hex
            case = rules.open_case(
                case_id, kind, ref, subject_kind, now=now, services=self.services
            )
            case = rules.sent(case, now) if rules.commanded(case) else case
            case = replace(case, reason=reason, opened_by=actor)
            cases.append(
                await with_recipient(self.vault, case) if kind == CaseKind.ACCESS else case
            )
        if not cases:
            return []
        there = await self.cases.add(cases)  # opened before a stop: neither told nor sent again
        fresh = [c for c in cases if c.case_id not in there]
        await self.audit.record_many([opening_trail.opened(c, actor=actor) for c in fresh])
        await self.commands.send([c for c in fresh if rules.commanded(c)])
        return cases

    async def record_ack(self, ack: PrivacyAck) -> bool:
        """Note a service's acknowledgement (the first counts); close the case if complete."""
        if isinstance(ack, RectificationCompleted):
            return await self.record_rectified(ack)
        counts: dict[str, int] = getattr(ack, "counts", {})
        sealed = ack.sealed_export if isinstance(ack, AccessAcknowledged) else None
        if sealed is not None:
            case = await self.cases.get(ack.case_id)
            counts = await self._exported(case, sealed) if case is not None else {}
        entry = Ack(ack.service, ack.completed_at, counts, sealed, received_at=self.clock())
        if not await self.cases.add_ack(ack.case_id, entry):
            return False
        await self.audit.record(
            ack.case_id, "ack-received", actor=ack.service, service=ack.service, counts=counts
        )
        await self.close_if_complete(ack.case_id)
        return True

    async def record_rectified(self, done: RectificationCompleted) -> bool:
        """The owner's staff corrected the record, or it erased the data instead (the first
        word counts): the rectification case closes, once its flag was acknowledged too."""
        counts, by = rules.completion_counts(done.outcome), done.service
        entry = Ack(by, done.completed_at, counts, received_at=self.clock())
        if not await self.cases.mark_rectified(done.case_id, entry):
            return False
        what: dict[str, Any] = {"service": by, "outcome": done.outcome}  # or erased instead
        await self.audit.record(done.case_id, "case-rectified", actor=by, **what)
        await self.close_if_complete(done.case_id)
        return True

    async def _case_key(self, case: Case) -> bytes | None:
        """The access case's own key, None if unknown; `ExportDestroyedError` once the
        subject's erasure destroyed it."""
        own = key_id(case)
        try:
            return await self.vault.get("privacy", own)
        except LookupError:  # the vault's KeyDestroyedError, or a key it cannot read
            if not await self.vault.destroyed("privacy", own):
                raise
        erasure = rules.erasure_destroying(await self.cases.of_subject(case.subject_ref))
        raise ExportDestroyedError(case.case_id, Destroyed(erasure))

    async def destroyed(self, case: Case) -> Destroyed | None:
        """How an access case's export was destroyed (by the subject's erasure, since it
        was gathered); None while it can be opened, and for the other kinds."""
        if case.kind != CaseKind.ACCESS:
            return None
        if not await self.vault.destroyed("privacy", key_id(case)):
            return None
        return Destroyed(rules.erasure_destroying(await self.cases.of_subject(case.subject_ref)))

    async def _exported(self, case: Case, sealed: str) -> dict[str, int]:
        """What an access part holds, counted (the officer's page says « exporté » or
        « rien à exporter » from it): opened with the case's key, only its counts kept.
        A part that arrives after the subject's erasure destroyed the key: not counted."""
        try:
            private = await self._case_key(case)
        except ExportDestroyedError:
            log.info("access part after the erasure: not readable", extra={"case_id": case.case_id})
            return {}
        return self._counted(private, case.case_id, sealed)

    def _counted(self, private: bytes | None, case_id: str, sealed: str) -> dict[str, int]:
        if private is None:
            return {}
        try:
            part = open_sealed(private, case_id, sealed)
        except (InvalidTag, ValueError, KeyError):  # unreadable: counted as nothing
            log.warning("access part not readable", extra={"case_id": case_id})
            return {}
        return rules.exported(part) if isinstance(part, dict) else {}

    async def counted(self, case: Case) -> Case:
        """An access case whose parts are counted, those acknowledged before the counts
        were kept included (counted now from the sealed part, for the officer's page);
        once the export was destroyed (the subject erased), as it was kept."""
        uncounted = [
            s for s, a in case.acks.items() if not a.counts and a.sealed_export is not None
        ]
        if case.kind != CaseKind.ACCESS or not uncounted:
            return case
        try:
            private = await self._case_key(case)
        except ExportDestroyedError:
            return case
        acks = dict(case.acks)
        for service in uncounted:
            ack = case.acks[service]
            counts = self._counted(private, case.case_id, ack.sealed_export or "")
            acks[service] = replace(ack, counts=counts)
        return replace(case, acks=acks)

    async def close_if_complete(self, case_id: str) -> bool:
        case = await self.cases.get(case_id)
        if case is None or case.status == CaseStatus.CLOSED or not rules.complete(case):
            return False
        destroyed = 0
        if case.kind == CaseKind.ERASURE:
            destroyed = await self.vault.destroy_subject(case.subject_ref)
        # a routed case closes on its owner's answers: no officer's hand needed
        decision = rules.closing_decision(case)
        if not await self.cases.close(case_id, at=self.clock(), decision=decision):
            return False
        await self.audit.record(case_id, "case-closed", actor="privacy", keys_destroyed=destroyed)
        log.info("case closed", extra={"case_id": case_id, "keys_destroyed": destroyed})
        if case.kind == CaseKind.ERASURE:  # what waited on the subject's owners closes too
            await close_left_by_erasure(self.cases, self.audit, case.subject_ref, at=self.clock())
        return True

    async def tick(self) -> int:
        """Resend commands to silent services, escalate stubborn cases; how many resent."""
        now = self.clock()
        resent = []
        due = await self.cases.due(now - self.retry_after)
        await opening_trail.restore_unsent(self.audit, due)
        for case in await still_waiting(self.cases, self.audit, due, at=now):
            step = rules.next_step(
                case, now, retry_after=self.retry_after, escalate_after=self.escalate_after
            )
            missing = rules.missing(case)
            if step.escalate:
                await self.cases.escalate(case.case_id)
                await self.audit.record(
                    case.case_id, "case-escalated", actor="privacy", missing=missing
                )
                log.warning(
                    "case escalated: acknowledgements missing",
                    extra={"case_id": case.case_id, "missing": missing},
                )
            if step.resend:
                await self.cases.mark_sent(case.case_id, now)
                await self.audit.record(
                    case.case_id, "command-resent", actor="privacy", missing=missing
                )
                resent.append(case)
        await self.commands.send(resent)
        return len(resent)

    async def resolve(self, case_id: str, *, actor: str, decision: str) -> bool:
        """Close a routed case with the officer's decision code (before its owner answered,
        or with no owner); a rectification's owner is told, in the same write, it is off."""
        case = await self.cases.get(case_id)
        if case is None or case.kind not in rules.ROUTED:
            return False
        withdraw, at = (case if rules.withdrawn_on_closing(case) else None), self.clock()
        if not await self.cases.close(case_id, at=at, decision=decision, withdraw=withdraw):
            return False
        await self.audit.record(case_id, "case-resolved", actor=actor, decision=decision)
        return True

    async def get(self, case_id: str) -> Case | None:
        return await self.cases.get(case_id)

    async def recent(self, limit: int = 100) -> list[Case]:
        return await self.cases.recent(limit)

    async def of_subject(self, subject_ref: str) -> list[Case]:
        return await self.cases.of_subject(subject_ref)

    async def export(self, case_id: str) -> dict[str, Any] | None:
        """Every service's part of an access case, opened with the case's key; None for
        no such case, `ExportDestroyedError` once the subject's erasure destroyed the key."""
        case = await self.get(case_id)
        if case is None or case.kind != CaseKind.ACCESS:
            return None
        private = await self._case_key(case)
        if private is None:
            return None
        return {
            "case_id": case_id,
            "subject_ref": case.subject_ref,
            "subject_kind": case.subject_kind.value,
            "generated_at": self.clock().isoformat(),
            "services": {
                s: open_sealed(private, case_id, a.sealed_export)
                for s, a in sorted(case.acks.items())
                if a.sealed_export is not None
            },
            "missing": rules.missing(case),
        }
