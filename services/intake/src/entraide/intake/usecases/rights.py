"""Intake's answer to privacy's commands: erase or export a family, found by its
`family_ref`; an objection withdraws its consent to matching, a rectification is flagged
on its record for staff (or, while its own request waits at the family door, on that
request: the staff who confirm it see it, and it follows the request onto the record).

Erasure destroys the family's key first (every sealed copy becomes unreadable at once,
backups included), then deletes its document, requests, contacts and pending events, then
the notifier's records of it: those again on a redelivery, which finds no family if intake
stopped before them (a message held for the morning would otherwise still go).
Audit-log entries stay: they hold staff ids and the internal family id, no family data.
"""

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from enum import Enum
from typing import Any

from pydantic import BaseModel

from entraide.contracts.events import (
    AccessRequested,
    ErasureRequested,
    ObjectionRequested,
    RectificationRequested,
    RectificationWithdrawn,
)
from entraide.contracts.vocab import SubjectKind
from entraide.intake.domain import personal_copy, sealing
from entraide.intake.domain.family import Consent, Family
from entraide.intake.domain.self_requests import SelfRequest, Stage
from entraide.intake.usecases import consent
from entraide.intake.usecases.ports import Action, AuditTrail, Families, FamilyKeys, UnitOfWork
from entraide.intake.usecases.self_requests import SelfRequests

Doc = dict[str, Any]


class IntakeRights:
    def __init__(
        self,
        families: Families,
        keys: FamilyKeys,
        audit: AuditTrail,
        *,
        uow: UnitOfWork | None = None,
        forget: Callable[[str], Awaitable[int]] | None = None,
        forget_own_requests: Callable[[str], Awaitable[int]] | None = None,
        own_requests: Callable[[str], Awaitable[list[SelfRequest]]] | None = None,
        queue: SelfRequests | None = None,
    ) -> None:
        self.families, self.keys, self.audit, self.uow = families, keys, audit, uow
        self.forget = forget  # the notifier's records of the family (pending ones too)
        self.forget_own_requests = forget_own_requests  # the family door's queue
        self.own_requests = own_requests  # what the family sent from it, by its reference
        self.queue = queue  # the family door's queue: a rectification of a request waiting

    async def object(self, command: ObjectionRequested) -> dict[str, int]:
        """The family objects to its data being used for matching: its consent to matching
        is withdrawn (its open match ends, nothing more is proposed), as staff would."""
        family = await self._family(command.subject_kind, command.subject_ref)
        if family is None or self.uow is None or not family.consent.matching:
            return {}  # never here, or already withdrawn (a redelivery)
        now = datetime.now(UTC)
        given = Consent(False, family.consent.sharing, f"privacy:{command.case_id}", now)
        revised = consent.change(family, given, now)
        await self.uow.commit(family)
        await self.audit.record_event(
            Action.CONSENT, family.id, event_id=command.case_id, association_id="privacy"
        )
        return {"families": 1, "requests": len(revised)}

    async def rectify(self, command: RectificationRequested) -> dict[str, int]:
        """A correction asked through the data-protection officer: flagged on the family's
        record for its staff (they hold the parent's word and the form), acknowledged; a
        case its staff corrected already is acknowledged again, not flagged again. A family
        with no record yet, whose own request waits at the door, has it flagged there."""
        if command.subject_kind != SubjectKind.FAMILY:
            return {}
        ref, case_id = command.subject_ref, command.case_id
        if await self.families.flag_rectification(ref, case_id):
            return {"families": 1}
        if self.queue is not None and await self.queue.flag_rectification(ref, case_id):
            return {"own_requests": 1}
        # confirmed between the two reads, or joined to a family known: that record
        for family_ref in await self._records_of(ref):
            if await self.families.flag_rectification(family_ref, case_id):
                return {"families": 1}
        return {}

    async def withdraw_rectification(self, command: RectificationWithdrawn) -> None:
        """The officer closed the case without the correction (refused, not applicable):
        its flag leaves the family's record, noted done so a late command flags nothing
        again; no completion goes back (privacy's case is closed with its decision)."""
        if command.subject_kind != SubjectKind.FAMILY:
            return
        for family_ref in await self._records_of(command.subject_ref):
            await self.families.withdraw_rectification(family_ref, command.case_id)
        if self.queue is not None:  # a request still waiting: its flag goes too
            await self.queue.withdraw_rectification(command.subject_ref, command.case_id)

    async def _records_of(self, ref: str) -> list[str]:
        """The references of the records that may hold the family's data: its own, and
        those of the families known its requests from the door were joined to."""
        own = await self.own_requests(ref) if self.own_requests else []
        joined = [r.family_id for r in own if r.stage == Stage.MERGED]
        return [ref, *(await self.families.refs(joined)).values()] if joined else [ref]

    async def erase(self, command: ErasureRequested) -> dict[str, int]:
        own = 0  # what the family asked through its own door, confirmed or still waiting
        if command.subject_kind == SubjectKind.FAMILY and self.forget_own_requests:
            own = await self.forget_own_requests(command.subject_ref)
        family = await self._family(command.subject_kind, command.subject_ref)
        counts: dict[str, int] = {}
        if family is not None:  # else never here, or already erased (a redelivery)
            await self.keys.destroy(family.id)
            deleted = await self.families.delete(family.id)
            counts = {
                "families": deleted,
                "requests": len(family.requests),
                "contacts": len(family.contacts),
                "keys": 1,
            }
        if own:
            counts["own_requests"] = own
        # what was sent to it, or waits to be (its address sealed by the notifier): deleted
        # on a redelivery too, the family gone already if intake stopped before this
        family_kind = command.subject_kind == SubjectKind.FAMILY
        if family_kind and self.forget and (forgotten := await self.forget(command.subject_ref)):
            counts["notifications"] = forgotten
        return counts

    async def export(self, command: AccessRequested) -> Doc:
        own = await self._own_requests(command.subject_kind, command.subject_ref)
        family = await self._family(command.subject_kind, command.subject_ref)
        if family is None:  # a request still waiting for staff holds data all the same
            exported_own: Doc = _json({"own_requests": own}) if own else {}
            return exported_own
        key = await self.keys.existing(family.id)
        part = personal_copy.shown(family)  # what is hers, classified there field by field
        part["possible_duplicates"] = len(family.possible_duplicates)
        if key is not None:
            part["identity"] = sealing.unseal(key, family.id, family.identity)
            for request, shown in zip(family.requests, part["requests"], strict=True):
                shown["notes"] = sealing.unseal(key, family.id, request.notes)
            for contact, shown in zip(family.contacts, part["contacts"], strict=True):
                shown["note"] = sealing.unseal(key, family.id, contact.note)
        readers = await self.audit.for_family(family.id)
        own_part = {"own_requests": own} if own else {}
        exported: Doc = _json({"family": part, "record_reads": readers} | own_part)
        return exported

    async def _own_requests(self, kind: SubjectKind, ref: str) -> list[Doc]:
        """What the family sent from its own door, waiting, confirmed or refused: its
        identity and message opened (its follow-up code left out), other families' ids as a
        count, as for the family."""
        if kind != SubjectKind.FAMILY or self.own_requests is None:
            return []
        shown = []
        for request in await self.own_requests(ref):
            doc = personal_copy.shown(request)
            doc["possible_duplicates"] = len(request.possible_duplicates)
            key = await self.keys.existing(request.family_id)
            if key is not None and request.sealed:
                opened = sealing.unseal(key, request.family_id, request.sealed)
                doc["identity"] = {k: v for k, v in opened.items() if k != "code"}
            shown.append(doc)
        return shown

    async def _family(self, kind: SubjectKind, ref: str) -> Family | None:
        return await self.families.by_ref(ref) if kind == SubjectKind.FAMILY else None


def _json(value: Any) -> Any:
    """What the export holds, as JSON: dates as ISO 8601, anything else unknown as text."""
    if isinstance(value, dict):
        return {str(k): _json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json(v) for v in value]
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)
