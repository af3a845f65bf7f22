"""A family's own door: its request is received, sealed, queued for staff, and followed by
a code; nothing reaches matching before staff confirm it (`self_request_queue`).

The identity (name, phone, e-mail, commune, preferred times, message) is sealed with the
family's own key from the vault, as staff-recorded identity is; the key is created under
the family's future id, so confirming reuses it and refusing destroys it.
"""

import uuid
from collections.abc import Collection
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from entraide.contracts import CloudEvent
from entraide.contracts.associations import NAMES
from entraide.contracts.events import Slot
from entraide.contracts.vocab import Need
from entraide.intake.domain import orientation, sealing
from entraide.intake.domain import requests as domain
from entraide.intake.domain import self_requests as rules
from entraide.intake.domain.access import Scope
from entraide.intake.domain.paging import PAGE_SIZE
from entraide.intake.domain.reaching import message_language, written_channels
from entraide.intake.domain.self_requests import SelfRequest, Stage, Standing
from entraide.intake.usecases import recording
from entraide.intake.usecases.commands import Parent
from entraide.intake.usecases.ports import Families, FamilyKeys
from entraide.kit.notifications import LANGUAGES, Channel, Notification, Notifier, opened_in

RECEIVED_TEMPLATE = "demande-recue"  # the kit's notification templates
CALLING_TEMPLATE = "demande-suite"  # « une association va vous appeler / vous écrire »
INTERRUPTED_TEMPLATE = "accompagnement-interrompu"  # « … n'est plus disponible »
REFUSED_TEMPLATE = "demande-non-retenue"  # « … où vous adresser », « … pas pu vous joindre »


class SelfRequests(Protocol):
    """The queue of families' own requests (`adapters.self_requests`)."""

    async def add(self, request: SelfRequest) -> None: ...

    async def get(self, self_id: str) -> SelfRequest | None: ...

    async def by_code(self, code_hash: str) -> SelfRequest | None: ...

    async def by_requests(self, request_ids: Collection[str]) -> dict[str, SelfRequest]:
        """The families' own requests that became these published requests, by the
        published request's id (one read for a batch of matching's events)."""
        ...

    async def pending(
        self, scope: Scope, *, skip: int = 0, limit: int = PAGE_SIZE
    ) -> list[SelfRequest]:
        """The requests waiting in this scope (those sent to no association included),
        oldest first, `limit` of them after the first `skip`."""
        ...

    async def count_pending(self, scope: Scope) -> int:
        """How many requests wait in this scope."""
        ...

    async def waiting_with(self, lookup: list[str], since: datetime) -> int:
        """How many requests sharing one of these hashes were received since then."""
        ...

    async def flag_rectification(self, family_ref: str, case_id: str) -> bool:
        """Flag the family's request still waiting with privacy's rectification case (one
        withdrawn is not flagged again); whether such a request holds the flag."""
        ...

    async def withdraw_rectification(self, family_ref: str, case_id: str) -> bool:
        """Take the case's flag off the family's request and note it withdrawn; whether
        the request carried it."""
        ...

    async def settle(
        self, self_id: str, events: list[CloudEvent[Any]], *, forget_details: bool = False
    ) -> bool:
        """If the decided request still owes something (`door_owed`), clear the note, queue
        `events` in its outbox, empty its sealed copy if `forget_details`: one write; did it."""
        ...

    async def owing(self) -> list[SelfRequest]:
        """Some decided requests still owing something: by their own marker, not a scan."""
        ...

    async def decide(self, request: SelfRequest) -> bool:
        """Store the decision (stage, by whom, the published request, what it owes) if it
        is still pending, its sealed copy emptied unless still needed; False if decided."""
        ...


class ContactLimitError(RuntimeError):
    """Too many requests with this phone number or e-mail today."""


@dataclass(frozen=True)
class SelfSubmission:
    """What the parent wrote on the public form."""

    parent: Parent
    children_birth_years: list[int]
    postal_code: str
    commune: str
    languages: list[str]
    contact_preferences: list[str]  # phone, sms, email
    callback_times: str
    needs: list[Need]
    availability: list[Slot]
    message: str
    consent_sharing: bool
    association_id: str | None = None
    offer_id: str | None = None
    language: str = "fr"  # the page's, as the parent read and wrote it


@dataclass(frozen=True)
class Received:
    self_id: str
    code: str  # shown once to the family; only its hash is kept


@dataclass(frozen=True)
class PublicStatus:
    """What the status page shows: no personal data."""

    standing: Standing
    title: str
    explanation: str
    received_at: datetime
    association: str | None = None  # its name, once it has accepted the family
    chosen: str | None = None  # the association she chose (its id), while it has to read it


@dataclass
class FamilyDoor:
    """The public door's use cases."""

    queue: SelfRequests
    families: Families
    keys: FamilyKeys
    notifier: Notifier | None = None
    status_url: str | None = None  # the status page (`/suivi`) the family's e-mail names
    door_url: str | None = None  # this door (`/demander-aide`), to ask again
    per_contact_per_day: int = rules.PER_CONTACT_PER_DAY
    sent: list[str] = field(default_factory=list)  # the kinds notified (tests read it)

    async def submit(self, submission: SelfSubmission, now: datetime) -> Received:
        """Queue the request, flagged with the families and requests it may repeat; past
        the limit per phone number or e-mail, `ContactLimitError` (nothing stored)."""
        lookup = recording.lookup_hashes(self.keys, submission.parent)
        contact = [h for h in lookup if h not in _name_hashes(self.keys, submission.parent)]
        if contact and (
            await self.queue.waiting_with(contact, now - timedelta(days=1))
            >= self.per_contact_per_day
        ):
            raise ContactLimitError()
        known = await self.families.similar(lookup)
        similar = await self.queue.waiting_with(lookup, now - timedelta(days=30))
        family_id, family_ref, key = await self.keys.new_family_key()
        code = rules.new_code()
        request = SelfRequest(
            id=uuid.uuid4().hex,
            family_id=family_id,
            family_ref=family_ref,
            association_id=submission.association_id,
            offer_id=submission.offer_id,
            departement=domain.departement_of(submission.postal_code),
            postal_code=submission.postal_code,
            children_birth_years=list(submission.children_birth_years),
            needs=list(submission.needs),
            availability=list(submission.availability),
            languages=list(submission.languages),
            contact_preferences=list(submission.contact_preferences),
            # the code, sealed beside the identity: the family's later messages repeat it
            sealed=sealing.seal(key, family_id, identity_of(submission) | {"code": code}),
            lookup=lookup,
            code_hash=rules.code_hash(code),
            submitted_at=now,
            possible_duplicates=[f.id for f in known],
            similar_pending=similar,
            language=submission.language,
        )
        await self.queue.add(request)
        context = {"code": code, "received_at": now.isoformat()}
        if self.status_url:  # opened in the door's language on whatever device reads it
            context["status_url"] = opened_in(self.status_url, request.language)
        if request.association_id:  # who reads it, named as the answer page names it
            language = message_language(request.language, request.languages, LANGUAGES)
            context["association"] = rules.reader_name(request.association_id, language)
        await self.tell(request, submission.parent, RECEIVED_TEMPLATE, context)
        return Received(request.id, code)

    def form_token(self, now: float) -> str:
        """The public form's signed start time (the minimum fill time)."""
        return rules.form_token(self.keys.lookup_key, now)

    def automated(self, honeypot: str, token: str, now: float) -> bool:
        """A hidden field filled in, or a form posted too fast, too late or not ours."""
        started = rules.form_started(self.keys.lookup_key, token)
        return rules.looks_automated(honeypot, started, now)

    async def status(self, typed_code: str) -> PublicStatus | None:
        """Where the request with this code stands, or None for no such code."""
        if rules.normalise_code(typed_code) is None:
            return None
        request = await self.queue.by_code(rules.code_hash(typed_code))
        if request is None:
            return None
        step, withdrawn, interrupted = None, False, False
        if request.stage in (Stage.CONFIRMED, Stage.MERGED) and request.request_id:
            family = await self.families.get(request.family_id)
            if family is not None:
                step, withdrawn = (
                    orientation.current(family.orientation, request.request_id),
                    any(
                        r.request_id == request.request_id and r.status == "withdrawn"
                        for r in family.requests
                    ),
                )
                interrupted = orientation.interrupted(family.orientation, request.request_id)
        # a call is said only to a family that chose one (no unsealing here: its choice)
        by_call = "phone" in request.contact_preferences
        state = step.state if step else None
        found = rules.standing(request.stage, state, withdrawn, by_call, interrupted=interrupted)
        title, explanation = rules.WORDS[found]
        chosen = request.association_id if found == Standing.RECEIVED else None
        if found == Standing.RECEIVED:
            explanation = rules.received_words(chosen is not None)
        # the family knows who calls once the association has said yes (not at a proposal,
        # which it may decline); a name, nothing of the volunteer
        accepted = step is not None and step.state in ("accepted", "started") and not withdrawn
        association = NAMES.get(step.association_id or "") if accepted and step else None
        return PublicStatus(found, title, explanation, request.submitted_at, association, chosen)

    def links(self, request: SelfRequest) -> dict[str, str]:
        """The status page and the door, as the family's messages name them, each opened
        in the language of the page she wrote on (those known)."""
        urls = {"status_url": self.status_url, "door_url": self.door_url}
        return {name: opened_in(url, request.language) for name, url in urls.items() if url}

    async def tell(
        self,
        request: SelfRequest,
        parent: Parent,
        template: str,
        context: dict[str, Any],
        *,
        once: str | None = None,
    ) -> None:
        """Send `template` by each channel the family chose and can be reached by (its
        e-mail, an SMS to its phone): each send keyed by the request, the template, the
        channel (and `once`, e.g. a match, when it may be news again for another), so a
        redelivery sends nothing twice on either."""
        if self.notifier is None:
            return
        for channel, to in written_channels(request.contact_preferences, asdict(parent)):
            await self.notifier.notify(
                Notification(
                    key=f"{request.id}:{template}:{channel}" + (f":{once}" if once else ""),
                    template=template,
                    channel=Channel(channel),
                    to=to,
                    recipient_ref=request.family_ref,
                    context=context,
                    language=message_language(request.language, request.languages, LANGUAGES),
                )
            )
            self.sent.append(template)


def identity_of(submission: SelfSubmission) -> dict[str, Any]:
    """What is sealed: who the parent is, how and when to call back, what they wrote."""
    return {
        "parent": asdict(submission.parent),
        "commune": submission.commune,
        "contact_preferences": list(submission.contact_preferences),
        "callback_times": submission.callback_times,
        "message": submission.message,
        "consent_sharing": submission.consent_sharing,
    }


def queue_admits(scope: Scope, request: SelfRequest) -> bool:
    """Staff see the requests of their territories sent to their association or to none;
    the network sees all of its territories'."""
    if scope.departements and request.departement not in scope.departements:
        return False
    if scope.network_wide:
        return True
    return scope.association_id is not None and request.association_id in (
        None,
        scope.association_id,
    )


def _name_hashes(keys: FamilyKeys, parent: Parent) -> list[str]:
    return recording.search_hashes(
        keys, first_name=parent.first_name, last_name=parent.last_name, phone=None, email=None
    )
