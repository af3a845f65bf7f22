"""Staff's queue « À confirmer »: a family's own request is read by a person of the
association or of the network, who confirms it (it is published as any request, channel
`family`), joins it to a family already known, or refuses it. Never auto-trusted.

Confirming writes the family with the id and key the request was sealed under, so a
confirmation retried after a crash writes the same family once (`UnitOfWork.add`). What a
decision owes after its write is noted in it and settled once, by the decision or by the
next pass (`door_owed`): the rectifications flagged on a request waiting follow it
(`door_rectifications`); a refusal the parent is told of keeps her sealed copy until the
notifier has its message (`door_refusals`)."""

from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from datetime import datetime
from functools import partial
from typing import Any

from entraide.contracts import CloudEvent
from entraide.contracts.vocab import RequestChannel
from entraide.intake.domain import paging, sealing
from entraide.intake.domain.family import MatchStep, NotFoundError
from entraide.intake.domain.orientation import AGREED, INTERRUPTIONS, interrupts, step_of
from entraide.intake.domain.paging import Page
from entraide.intake.domain.reaching import by_call
from entraide.intake.domain.requests import Sign
from entraide.intake.domain.self_requests import TOLD_REFUSALS, RefusalReason, SelfRequest, Stage
from entraide.intake.usecases import access, consent, door_details, door_refusals, recording
from entraide.intake.usecases import door_rectifications as flags
from entraide.intake.usecases.commands import Parent
from entraide.intake.usecases.door_owed import OwedWork
from entraide.intake.usecases.ports import Action, AuditTrail, UnitOfWork
from entraide.intake.usecases.self_requests import (
    CALLING_TEMPLATE,
    INTERRUPTED_TEMPLATE,
    REFUSED_TEMPLATE,
    FamilyDoor,
    queue_admits,
)
from entraide.kit.principal import Principal

# matching's steps the family is told of: the association said yes (a proposal is only a
# suggestion it may still decline); the start, for a match accepted while none was heard
CALLING_STEPS = AGREED


class AlreadyDecidedError(RuntimeError):
    """Someone confirmed, joined or refused this request first."""


@dataclass(frozen=True)
class Decided:
    """Where a confirmed or joined request went: its family's record and the request."""

    family_id: str
    request_id: str


@dataclass(frozen=True)
class Pending:
    """A request in the queue as staff read it: identity unsealed for them."""

    request: SelfRequest
    identity: dict[str, Any] | None  # None once its key is destroyed


@dataclass
class ConfirmationQueue:
    door: FamilyDoor
    uow: UnitOfWork
    audit: AuditTrail

    @property
    def _owed(self) -> OwedWork:
        return OwedWork(self.door.queue, self.door.keys, self.uow.families)

    async def settle_owed(self, now: datetime) -> int:
        """What decisions a crash (or a notifier failing) interrupted still owe, delivered
        once: a refusal's message to the parent (her key destroyed after it, or untold a
        day on), then their flags; how many decisions this pass settled."""
        return len(await self._owed.settle_owed(now, self._tell_refused))

    async def pending(self, principal: Principal, number: int = 1) -> Page[Pending]:
        """The requests waiting in my scope, oldest first, page `number` (the last, if there
        are fewer pages now), identity unsealed (audited); how many wait in all."""
        scope = access.scope_of(principal)
        total = await self.door.queue.count_pending(scope)
        number = paging.within(number, total)
        found = await self.door.queue.pending(scope, skip=(number - 1) * paging.PAGE_SIZE)
        listed = [r for r in found if queue_admits(scope, r)]
        if listed:
            await self.audit.record(principal, Action.READ, None, via="a-confirmer")
        return Page([Pending(r, await self._identity(r)) for r in listed], total, number)

    async def confirm(
        self, principal: Principal, self_id: str, now: datetime, signs: Sequence[Sign] = ()
    ) -> Decided:
        """Publish the request as its family's (a new family), with the `signs` staff noted
        reading it; where it went."""
        request, identity = await self._open(principal, self_id)
        association = request.association_id or principal.association_id
        details = door_details.details_of(request, identity, signs)
        key = await self.door.keys.key_for(request.family_id, request.family_ref)
        family = recording.new_family(
            self.door.keys,
            key,
            details,
            family_id=request.family_id,
            family_ref=request.family_ref,
            association_id=association,
            channel=RequestChannel.FAMILY,
            recorded_by=principal.subject,
            possible_duplicates=request.possible_duplicates,
            written_language=request.language,  # its messages stay in the door's language
            asked_at=request.submitted_at,  # her waiting time counts from her asking
        )
        family.rectifications = list(request.rectifications)  # in its first write
        stored = await self.uow.add(family)
        request_id = stored.requests[0].request_id
        owed = flags.owing(request, flags.CARRY, stored.family_ref)  # one landed meanwhile
        await self._decide(principal, owed, Stage.CONFIRMED, now, request_id=request_id)
        await self._owed.settle(request.id, now, self._tell_refused)
        await self.audit.record(principal, Action.CREATE, request.family_id, via="a-confirmer")
        return Decided(stored.id, request_id)

    async def merge(
        self,
        principal: Principal,
        self_id: str,
        family_id: str,
        now: datetime,
        signs: Sequence[Sign] = (),
    ) -> Decided:
        """Add the request to a family already known (one it was flagged as possibly
        repeating, in my scope): a new request of that family, published; the sealed copy
        of the identity is destroyed. Where it went. Asking on the door with its consent
        boxes is the parent's consent: recorded on the family as she gave it, dated the day
        she asked (unless she said otherwise since), and the request published with it."""
        request, identity = await self._open(principal, self_id)
        family = await self.uow.families.get(family_id)
        if (
            family is None
            or family_id not in request.possible_duplicates
            or not access.can_see(principal, family)
        ):
            raise NotFoundError(family_id)
        given = door_details.consent_of(request, identity)
        if family.consent.collected_at <= given.collected_at:  # an objection since stands
            consent.change(family, given, now)  # her other open requests follow it
        key = await self.door.keys.key_for(family.id, family.family_ref)
        request_id = recording.add_request(
            family,
            key,
            needs=request.needs,
            availability=request.availability,
            signs=list(signs),
            channel=RequestChannel.FAMILY,
            contact_channels=request.contact_preferences,
            recorded_by=principal.subject,
            asked_at=request.submitted_at,  # her waiting time counts from her asking
            notes=door_details.notes_of(identity),  # the queue's copy is destroyed below
        )
        await self.uow.commit(family)
        merged = flags.owing(replace(request, family_id=family.id), flags.CARRY, family.family_ref)
        await self._decide(principal, merged, Stage.MERGED, now, request_id=request_id)
        await self._owed.settle(request.id, now, self._tell_refused)
        await self.door.keys.destroy(request.family_id)  # the queue's sealed copy: unreadable
        await self.audit.record(principal, Action.RECTIFY, family.id, via="a-confirmer")
        if family.consent is given:  # recorded on the family: audited as any consent change
            await self.audit.record(principal, Action.CONSENT, family.id, via="a-confirmer")
        return Decided(family.id, request_id)

    async def refuse(
        self, principal: Principal, self_id: str, reason: RefusalReason, now: datetime
    ) -> None:
        """Keep nothing readable: the key of the sealed identity is destroyed (a case
        flagged on it is answered: erased instead of corrected). Out of the network's reach
        or not reached, the parent is told so, with where to turn, by the channels she chose,
        before the key goes: owed by the decision's write, told by the next pass if this
        one stops or the notifier fails (`door_owed`), a day on at the latest. The
        decision is made once: a refusal decided again tells her nothing more."""
        request, identity = await self._open(principal, self_id)
        refused = flags.owing(replace(request, refusal=reason), flags.ERASED)
        if reason in TOLD_REFUSALS:
            refused = door_refusals.owing(refused, now)
        await self._decide(principal, refused, Stage.REFUSED, now)
        tell = partial(self._tell_refused, identity=identity)  # opened once, above
        await self._owed.settle(request.id, now, tell)  # told, key destroyed, flags answered

    async def match_step(self, family_ref: str, request_id: str, state: str) -> bool:
        """Matching's association accepted or started a match for a family's own request:
        tell the family « une association va vous appeler » (or « … prendre contact avec
        vous » when it chose no call); once: the notifier keeps the key."""
        if state not in CALLING_STEPS:
            return False
        found = await self.door.queue.by_requests([request_id])
        return await self._tell_calling(found.get(request_id), family_ref)

    async def match_events(self, events: list[CloudEvent[Any]]) -> int:
        """Matching's events: the families whose own request was accepted or started are
        told (its acceptance and its start are one piece of news; another association
        agreeing after an interruption, another), and those whose support agreed ended not
        by their doing (`interrupts`) are told too, once per match (a redelivery sends nothing twice: the notifier keeps
        each key); how many. One read of the queue for the whole batch (most requests
        came by another door). Intake's consumer has noted the batch's steps first."""
        telling = [
            (event.data.family_ref, step)
            for event in events
            if (step := step_of(event)) is not None
            and (step.state in CALLING_STEPS or step.outcome in INTERRUPTIONS)
        ]
        if not telling:
            return 0
        found = await self.door.queue.by_requests({step.request_id for _, step in telling})
        told = 0
        for family_ref, step in telling:
            request = found.get(step.request_id)
            if step.state in CALLING_STEPS:  # once a match: another agreed later is news
                told += await self._tell_calling(request, family_ref, once=step.match_id)
            else:
                told += await self._tell_interrupted(request, family_ref, step)
        return told

    async def _tell_calling(
        self, request: SelfRequest | None, family_ref: str, once: str | None = None
    ) -> bool:
        if request is None or request.family_ref != family_ref:
            return False
        return await self._tell(request, CALLING_TEMPLATE, once=once)

    async def _tell_interrupted(
        self, request: SelfRequest | None, family_ref: str, step: MatchStep
    ) -> bool:
        """« La personne qui vous accompagnait n'est plus disponible », once per match,
        if she had been told of it (accepted or started)."""
        if request is None or request.family_ref != family_ref:
            return False
        family = await self.door.families.get(request.family_id)
        if family is None or not interrupts(step, family.orientation):
            return False
        return await self._tell(request, INTERRUPTED_TEMPLATE, once=step.match_id)

    async def _tell_refused(self, request: SelfRequest, identity: Any = None) -> bool:
        said = {"reason": str(request.refusal), **self.door.links(request)}
        return await self._tell(request, REFUSED_TEMPLATE, said=said, identity=identity)

    async def _tell(
        self,
        request: SelfRequest,
        template: str,
        once: str | None = None,
        *,
        said: dict[str, str] | None = None,
        identity: Any = None,
    ) -> bool:
        """Tell the family `template` by its channels, with its code and `said`; whether it can."""
        identity = identity or await self._identity(request)  # her details: opened, or read now
        if identity is None:  # joined to a family known, or erased: its staff call as usual
            return False
        parent = Parent(**identity["parent"])
        chosen = identity.get("contact_preferences", request.contact_preferences)
        context = {"code": identity.get("code", ""), "by_phone": by_call(chosen, asdict(parent))}
        context |= said or {}
        await self.door.tell(request, parent, template, context, once=once)
        return True

    async def _open(self, principal: Principal, self_id: str) -> tuple[SelfRequest, Any]:
        request = await self.door.queue.get(self_id)
        if request is None or not queue_admits(access.scope_of(principal), request):
            raise NotFoundError(self_id)
        if request.stage != Stage.PENDING:
            raise AlreadyDecidedError(self_id)
        identity = await self._identity(request)
        if identity is None:
            raise NotFoundError(self_id)
        return request, identity

    async def _decide(
        self,
        principal: Principal,
        request: SelfRequest,
        stage: Stage,
        now: datetime,
        *,
        request_id: str | None = None,
    ) -> None:
        decided = replace(
            request,
            stage=stage,
            decided_at=now,
            decided_by=principal.subject,
            request_id=request_id,
        )
        if not await self.door.queue.decide(decided):
            raise AlreadyDecidedError(request.id)

    async def _identity(self, request: SelfRequest) -> Any:
        key = await self.door.keys.existing(request.family_id)
        if key is None or not request.sealed:
            return None
        return sealing.unseal(key, request.family_id, request.sealed)
