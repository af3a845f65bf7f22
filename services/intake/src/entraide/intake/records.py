"""Staff work on a known family: open it (audited), rectify, withdraw, log a contact.

Every change is one guarded document write carrying its event (the outbox); a change
made on a stale read is refused (`ConflictError`) rather than silently overwriting.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from entraide.contracts import new_event
from entraide.contracts.events import ContactLogged, RequestWithdrawn
from entraide.contracts.kit.auth import Principal
from entraide.contracts.vocab import ContactChannel, RequestChannel, WithdrawalReason
from entraide.intake import access, domain, sealing
from entraide.intake.audit import Action, AuditLog
from entraide.intake.keys import FamilyKeys
from entraide.intake.schemas import RequestFields
from entraide.intake.service import SOURCE, identity_of, lookup_hashes
from entraide.intake.store import FamilyStore

Doc = dict[str, Any]


class NotFoundError(LookupError):
    """No such family or request, or not in the staff member's scope (same answer)."""


class ConflictError(RuntimeError):
    """The family changed since it was read: reload and try again."""


class ClosedError(RuntimeError):
    """The request was withdrawn: it can no longer change."""


@dataclass
class FamilyRecord:
    """A family as staff see it: identity in clear (None once its key is destroyed)."""

    doc: Doc
    identity: dict[str, Any] | None
    notes: dict[str, str] = field(default_factory=dict)  # request id -> notes
    contact_notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Casework:
    """What the use cases need: the families, their keys and the audit log."""

    families: FamilyStore
    keys: FamilyKeys
    audit: AuditLog

    async def open(self, principal: Principal, family_id: str, *, via: str) -> FamilyRecord:
        """The family's record, once the read is in the audit log."""
        doc = await self._visible(principal, family_id)
        await self.audit.record(principal, Action.READ, family_id, via=via)
        key = await self.keys.existing(family_id)
        if key is None:
            return FamilyRecord(doc, None)
        return FamilyRecord(
            doc,
            sealing.unseal(key, family_id, doc["identity"]),
            {r["request_id"]: sealing.unseal(key, family_id, r["notes"]) for r in doc["requests"]},
            [sealing.unseal(key, family_id, c["note"]) for c in doc.get("contacts", [])],
        )

    async def rectify(
        self, principal: Principal, family_id: str, request_id: str, body: RequestFields
    ) -> int:
        """Correct the family and its request; returns the request's new revision."""
        doc = await self._visible(principal, family_id)
        request = _open_request(doc, request_id)
        now = datetime.now(UTC)
        state = domain.submitted_event(
            request_id=request_id,
            family_ref=doc["family_ref"],
            postal_code=body.postal_code,
            children_birth_years=[c.birth_year for c in body.children],
            needs=body.needs,
            availability=body.availability,
            languages=body.languages,
            signs=set(body.signs),
            association_id=request["association_id"],
            channel=RequestChannel(request["channel"]),
            consent_to_matching=body.consent.matching,
            at=now,
            contact_channels=body.contact_preferences,
        )
        revised = domain.as_update(state, revision=request["revision"] + 1)
        key = await self._key(family_id)
        requests = [
            {
                **r,
                "revision": revised.revision,
                "needs": revised.needs,
                "availability": [s.model_dump() for s in body.availability],
                "signs": body.signs,
                "urgency": revised.urgency,
                "notes": sealing.seal(key, family_id, body.notes),
                "updated_at": now,
            }
            if r["request_id"] == request_id
            else r
            for r in doc["requests"]
        ]
        changes = {
            "identity": sealing.seal(key, family_id, identity_of(body)),
            "lookup": lookup_hashes(self.keys, body.parent),
            "children": [c.model_dump() for c in body.children],
            "postal_code": body.postal_code,
            "departement": revised.departement,
            "languages": body.languages,
            "consent": body.consent.model_dump(mode="json"),
            "requests": requests,
            "last_contact_at": now,
        }
        event = new_event(revised, source=SOURCE, subject=doc["family_ref"])
        await self._change(doc, changes, [event])
        await self.audit.record(principal, Action.RECTIFY, family_id, via="page")
        return revised.revision

    async def withdraw(
        self, principal: Principal, family_id: str, request_id: str, reason: WithdrawalReason
    ) -> None:
        """Close the request at the family's wish (or as a duplicate); matching stops."""
        doc = await self._visible(principal, family_id)
        request = _open_request(doc, request_id)
        now = datetime.now(UTC)
        payload = RequestWithdrawn(
            request_id=request_id,
            family_ref=doc["family_ref"],
            revision=request["revision"] + 1,
            reason=reason,
            withdrawn_at=now,
        )
        requests = [
            {**r, "status": "withdrawn", "revision": payload.revision, "withdrawn_at": now}
            | {"withdrawal_reason": reason.value}
            if r["request_id"] == request_id
            else r
            for r in doc["requests"]
        ]
        event = new_event(payload, source=SOURCE, subject=doc["family_ref"])
        await self._change(doc, {"requests": requests}, [event])
        await self.audit.record(principal, Action.WITHDRAW, family_id, via="page")

    async def log_contact(
        self,
        principal: Principal,
        family_id: str,
        *,
        channel: ContactChannel,
        note: str,
        at: datetime | None = None,
    ) -> None:
        """Note a contact with the family: its retention clock starts again from it."""
        doc = await self._visible(principal, family_id)
        at = at or datetime.now(UTC)
        key = await self._key(family_id)
        contact = {
            "at": at,
            "channel": channel.value,
            "by": principal.subject,
            "by_name": principal.name,
            "note": sealing.seal(key, family_id, note),
        }
        payload = ContactLogged(family_ref=doc["family_ref"], channel=channel, contacted_at=at)
        last = max(at, doc.get("last_contact_at") or at)
        event = new_event(payload, source=SOURCE, subject=doc["family_ref"])
        await self._change(doc, {"last_contact_at": last}, [event], push={"contacts": contact})
        await self.audit.record(principal, Action.CONTACT, family_id, via="page")

    async def _visible(self, principal: Principal, family_id: str) -> Doc:
        doc = await self.families.get(family_id)
        if doc is None or not access.can_see(principal, doc):
            raise NotFoundError(family_id)
        return doc

    async def _key(self, family_id: str) -> bytes:
        key = await self.keys.existing(family_id)
        if key is None:  # erased: nothing left to change
            raise NotFoundError(family_id)
        return key

    async def _change(
        self, doc: Doc, changes: Doc, events: list[Any], push: Doc | None = None
    ) -> None:
        if not await self.families.change(doc, changes, events, push=push):
            raise ConflictError(doc["_id"])


def _open_request(doc: Doc, request_id: str) -> Doc:
    request: Doc | None = next((r for r in doc["requests"] if r["request_id"] == request_id), None)
    if request is None:
        raise NotFoundError(request_id)
    if request["status"] == "withdrawn":
        raise ClosedError(request_id)
    return request
