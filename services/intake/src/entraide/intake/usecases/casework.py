"""Staff work on a known family: find it, open it (audited), rectify, withdraw, log a contact.

Every change is one guarded document write carrying its event (the unit of work); a
change made on a stale read is refused (`ConflictError`) rather than silently overwriting.
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from entraide.contracts import new_event
from entraide.contracts.events import ContactLogged, RectificationCompleted, RequestWithdrawn
from entraide.contracts.vocab import ContactChannel, WithdrawalReason
from entraide.intake.domain import requests as domain
from entraide.intake.domain import sealing
from entraide.intake.domain.family import (
    ClosedError,
    ConflictError,
    Consent,
    Contact,
    Family,
    FamilySummary,
    NotFoundError,
    Request,
)
from entraide.intake.usecases import access, consent, recording
from entraide.intake.usecases.commands import FamilyDetails
from entraide.intake.usecases.ports import Action, AuditTrail, Families, FamilyKeys, UnitOfWork
from entraide.kit import formats
from entraide.kit.principal import Principal

__all__ = [
    "Casework",
    "ClosedError",
    "ConflictError",
    "FamilyRecord",
    "Found",
    "NotFoundError",
    "Rectified",
]


@dataclass
class FamilyRecord:
    """A family as staff see it: identity in clear (None once its key is destroyed)."""

    family: Family
    identity: dict[str, Any] | None
    notes: dict[str, str] = field(default_factory=dict)  # request id -> notes
    contact_notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Found:
    """A search's answer: the families in scope, and how many others matched."""

    families: list[FamilySummary]
    elsewhere: int


@dataclass(frozen=True)
class Rectified:
    """A rectification saved: the request's new revision, and the officer's cases it left
    flagged because it changed nothing of the family's data (none when it did)."""

    revision: int
    waiting: list[str]


@dataclass(frozen=True)
class Casework:
    """What the use cases need: the unit of work, the families' keys and the audit log."""

    uow: UnitOfWork
    keys: FamilyKeys
    audit: AuditTrail

    @property
    def families(self) -> Families:
        return self.uow.families

    async def search(
        self, principal: Principal, *, first_name: str, last_name: str, phone: str, email: str
    ) -> Found:
        """Families in my scope sharing a name, phone or e-mail; the search is audited."""
        await self.audit.record(principal, Action.SEARCH, None, via="page")
        hashes = recording.search_hashes(
            self.keys, first_name=first_name, last_name=last_name, phone=phone, email=email
        )
        matches = await self.families.similar(hashes)
        found = [m for m in matches if access.can_see(principal, m)]
        return Found(found, len(matches) - len(found))

    async def recent(self, principal: Principal) -> list[FamilySummary]:
        """The latest families in my scope."""
        return await self.families.recent(access.scope_of(principal))

    async def open(self, principal: Principal, family_id: str, *, via: str) -> FamilyRecord:
        """The family's record, once the read is in the audit log."""
        family = await self.visible(principal, family_id)
        await self.audit.record(principal, Action.READ, family_id, via=via)
        key = await self.keys.existing(family_id)
        if key is None:
            return FamilyRecord(family, None)
        return FamilyRecord(
            family,
            sealing.unseal(key, family_id, family.identity),
            {r.request_id: sealing.unseal(key, family_id, r.notes) for r in family.requests},
            [sealing.unseal(key, family_id, c.note) for c in family.contacts],
        )

    async def rectify(
        self, principal: Principal, family_id: str, request_id: str, details: FamilyDetails
    ) -> Rectified:
        """Correct the family and its request; a rectification flagged on the record is
        done only if the family's data changed."""
        family = await self.visible(principal, family_id)
        request = family.open_request(request_id)
        now = datetime.now(UTC)
        state = recording.submitted(
            details, request_id, family.family_ref, request.association_id, request.channel, now
        )
        revised = domain.as_update(state, revision=request.revision + 1)
        key = await self._key(family_id)
        changed = _data(family, request, key) != _data_of(details)
        request.revision, request.needs, request.urgency = (
            revised.revision,
            revised.needs,
            revised.urgency,
        )
        request.availability, request.signs = details.availability, details.signs
        request.notes, request.updated_at = sealing.seal(key, family_id, details.notes), now
        family.identity = sealing.seal(key, family_id, recording.identity_of(details))
        family.lookup = recording.lookup_hashes(self.keys, details.parent)
        family.children_birth_years = details.children_birth_years
        family.postal_code, family.departement = details.postal_code, revised.departement
        family.languages = details.languages
        family.last_contact_at = now
        if family.consent.matching and not details.consent.matching:  # withdrawn here
            revised = revised.model_copy(update={"consent_withdrawn_at": now})
        family.announce(new_event(revised, source=recording.SOURCE, subject=family.family_ref))
        # the family's other open requests follow its consent (this one is announced above)
        consent.change(family, details.consent, now, besides=request_id)
        waiting = _rectified(family, now, changed=changed)
        await self.uow.commit(family)
        await self.audit.record(principal, Action.RECTIFY, family_id, via="page")
        return Rectified(revised.revision, waiting)

    async def withdraw(
        self, principal: Principal, family_id: str, request_id: str, reason: WithdrawalReason
    ) -> None:
        """Close the request at the family's wish (or as a duplicate); matching stops."""
        family = await self.visible(principal, family_id)
        now = datetime.now(UTC)
        if reason == WithdrawalReason.CONSENT_WITHDRAWN:  # the family's consent goes too
            given = Consent(False, family.consent.sharing, principal.name, now)
            consent.change(family, given, now)
        withdraw_request(family, request_id, reason, now)
        await self.uow.commit(family)
        await self.audit.record(principal, Action.WITHDRAW, family_id, via="page")

    async def change_consent(
        self, principal: Principal, family_id: str, given: Consent, *, via: str
    ) -> int:
        """Record the parent's consent as collected now (`matching` false: withdrawn, its
        open matches end); returns how many open requests were announced again."""
        family = await self.visible(principal, family_id)
        revised = consent.change(family, given, datetime.now(UTC))
        await self.uow.commit(family)
        await self.audit.record(principal, Action.CONSENT, family_id, via=via)
        return len(revised)

    async def log_contact(
        self,
        principal: Principal,
        family_id: str,
        *,
        channel: ContactChannel,
        note: str,
        day: date | None = None,
        noted_at: datetime | None = None,
    ) -> None:
        """Note a contact with the family on `day` (the day it is noted, by default): its
        retention clock starts again from it."""
        family = await self.visible(principal, family_id)
        noted_at = noted_at or datetime.now(UTC)
        key = await self._key(family_id)
        contact = Contact(
            day=day or formats.today(noted_at),
            noted_at=noted_at,
            channel=channel,
            by=principal.subject,
            by_name=principal.name,
            note=sealing.seal(key, family_id, note),
        )
        family.note_contact(contact)
        at = contact.counted_from
        payload = ContactLogged(family_ref=family.family_ref, channel=channel, contacted_at=at)
        family.announce(new_event(payload, source=recording.SOURCE, subject=family.family_ref))
        await self.uow.commit(family)
        await self.audit.record(principal, Action.CONTACT, family_id, via="page")

    async def visible(self, principal: Principal, family_id: str) -> Family:
        """The family, if it exists and is in my scope (`NotFoundError` otherwise)."""
        family = await self.families.get(family_id)
        if family is None or not access.can_see(principal, family):
            raise NotFoundError(family_id)
        return family

    async def _key(self, family_id: str) -> bytes:
        key = await self.keys.existing(family_id)
        if key is None:  # erased: nothing left to change
            raise NotFoundError(family_id)
        return key


def _data(family: Family, request: Request, key: bytes) -> tuple[Any, ...]:
    """What the record form shows of the family and its request (its consent aside), in
    clear."""
    return (
        sealing.unseal(key, family.id, family.identity),
        family.children_birth_years,
        family.postal_code,
        family.languages,
        request.needs,
        request.availability,
        request.signs,
        sealing.unseal(key, family.id, request.notes),
    )


def _data_of(details: FamilyDetails) -> tuple[Any, ...]:
    """The same as the form typed it."""
    return (
        recording.identity_of(details),
        details.children_birth_years,
        details.postal_code,
        details.languages,
        details.needs,
        details.availability,
        details.signs,
        details.notes,
    )


def _rectified(family: Family, now: datetime, *, changed: bool) -> list[str]:
    """The officer's rectification cases flagged on the record are acted on if the family's
    data changed: privacy hears each is done (case and reference only), once per case, and
    the write takes their flags off and notes them done. A save that changed nothing leaves
    them flagged (returned: the case waits for a correction or the officer's decision), but
    a flag come back for a case done."""
    if not changed:
        family.rectified = [c for c in family.rectifications if c in family.rectifications_done]
        return [c for c in family.rectifications if c not in family.rectifications_done]
    family.rectified = list(family.rectifications)
    for case_id in (c for c in family.rectified if c not in family.rectifications_done):
        done = RectificationCompleted(
            case_id=case_id, subject_ref=family.family_ref, service="intake", completed_at=now
        )
        family.announce(new_event(done, source=recording.SOURCE, subject=family.family_ref))
    return []


def withdraw_request(
    family: Family, request_id: str, reason: WithdrawalReason, at: datetime
) -> Request:
    """Close an open request and announce it (`RequestWithdrawn`): matching stops."""
    request = family.withdraw(request_id, reason, at)
    payload = RequestWithdrawn(
        request_id=request_id,
        family_ref=family.family_ref,
        revision=request.revision,
        reason=reason,
        withdrawn_at=at,
    )
    family.announce(new_event(payload, source=recording.SOURCE, subject=family.family_ref))
    return request
