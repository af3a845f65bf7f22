"""Rights requests sent by the person through the public form (`/vos-droits`).

1. `ask`: the person names the right, who they are (family or volunteer) and the contact the
   network knows them by; a 6-digit code goes to that contact through the notifier. Only
   keyed hashes of the contact, the client's address and the code are stored, and the
   contact itself sealed with a key of its own in the vault (to resolve it, and to send
   an access export's link later): that key is destroyed once it has served.
2. `prove`: the right code within 15 minutes (5 attempts) proves the contact. The owners of
   contact data (intake for families) say which subjects it names (`Owners`): privacy holds
   no contact of its own. One case per subject opens, through the officer's use case (the
   legal month, every service commanded), with the person as its actor: once, whatever
   the stops (`public_opening`: noted first, then opened under ids of their own).
3. `deliver`: once all a request's access cases are closed, one signed link valid 7 days
   goes to the proven contact: one answer, however many subjects it named (a family staff
   recorded, her requests at the door); `copies` opens them all, `export` one, as JSON.
   Once every erasure case a request opened is closed, the person is told it is done
   (`droits-effacement`), the last message: then the contact is forgotten, as after a link.
   A rectification's or an objection's outcome too (`droits-reponse`, art. 12(3)-(4)).
A rectification's statement (art. 16) is sealed under its request, then each case it opened
(`StatementSeal`), until the case is closed.
"""

import logging
import secrets
import uuid
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from entraide.contracts.vocab import SubjectKind
from entraide.kit.notifications import Channel as NoticeChannel
from entraide.kit.notifications import Notification, Notifier, opened_in
from entraide.privacy.domain import requests_from_people as rules
from entraide.privacy.domain.cases import ROUTED, Case, CaseKind, CaseStatus
from entraide.privacy.domain.requests_from_people import Contact, PersonRequest, Status, Verdict
from entraide.privacy.usecases.cases import ExportDestroyedError
from entraide.privacy.usecases.officer import Privacy
from entraide.privacy.usecases.public_opening import ACTOR, of_case, open_noted, pending
from entraide.privacy.usecases.public_ports import (
    ContactSeal,
    Owners,
    PersonRequests,
    StatementSeal,
)
from entraide.privacy.usecases.public_ports import OwnersUnavailableError as OwnersUnavailableError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Asked:
    request: PersonRequest | None  # None: too many requests (from this contact or address)


@dataclass(frozen=True)
class Proved:
    verdict: Verdict
    request: PersonRequest | None
    found: int = 0  # subjects named by the contact (cases opened)


class PublicRights:
    def __init__(
        self,
        requests: PersonRequests,
        seal: ContactSeal,
        owners: Owners,
        notifier: Notifier,
        privacy: Privacy,
        *,
        key: bytes,
        public_url: str,
        statements: StatementSeal,
        codes: Notifier | None = None,
    ) -> None:
        self.requests, self.seal, self.owners = requests, seal, owners
        self.statements = statements
        self.notifier, self.privacy, self.key = notifier, privacy, key
        self.codes = codes or notifier
        self.public_url = public_url.rstrip("/")

    def _now(self) -> datetime:
        return self.privacy.clock()

    async def ask(
        self,
        kind: CaseKind,
        subject_kind: SubjectKind,
        contact: Contact,
        *,
        address: str,
        follow_up: str | None = None,
        language: str = "fr",
        statement: str | None = None,
    ) -> Asked:
        """Start a request and send its code (in `language`, the page's, as the export's
        link later), unless this contact or address started too many in the last hour.
        A rectification's `statement` is sealed with it (any other right's is dropped)."""
        now = self._now()
        contact_hash = rules.keyed(self.key, "contact:" + contact.term)
        address_hash = rules.keyed(self.key, "address:" + address)
        by_contact, by_address = await self.requests.started_since(
            contact_hash=contact_hash, address_hash=address_hash, since=now - rules.RATE_WINDOW
        )
        if not rules.may_start(by_contact=by_contact, by_address=by_address):
            await self.privacy.audit.record(
                None, "public-request-refused", actor=ACTOR, reason="rate-limited"
            )
            return Asked(None)
        request_id = uuid.uuid4().hex
        code = f"{secrets.randbelow(10**6):06d}"
        request = PersonRequest(
            request_id, kind, subject_kind, contact.channel, contact_hash, address_hash,
            rules.keyed(self.key, f"code:{request_id}:{code}"), now, now + rules.CODE_TTL,
            follow_up=rules.keyed(self.key, f"follow-up:{follow_up.upper()}") if follow_up else None,
            language=language,
        )  # fmt: skip
        await self.seal.seal(request_id, contact)
        if statement and kind == CaseKind.RECTIFICATION:
            await self.statements.seal(
                pending(request_id), statement, subject_ref=f"person-{request_id}"
            )
        await self.requests.add(request)
        await self._send(
            request, contact, "code-contact", {"code": code, "expires_at": request.expires_at}
        )
        return Asked(request)

    async def get(self, request_id: str) -> PersonRequest | None:
        return await self.requests.get(request_id)

    async def statement(self, case: Case) -> str | None:
        """What the person says is wrong and what to write instead, while the case is open."""
        if case.kind != CaseKind.RECTIFICATION or case.status == CaseStatus.CLOSED:
            return None
        return await self.statements.open(of_case(case.case_id))

    async def _forget(self, request_id: str) -> None:
        """A request that will open no case: its contact and statement forgotten."""
        await self.seal.forget(request_id)
        await self.statements.forget(pending(request_id))

    async def prove(self, request_id: str, code: str) -> Proved:
        """Check the code; once proved, open a case per subject the contact names."""
        request = await self.requests.get(request_id)
        if request is None:
            return Proved(Verdict.EXPIRED, None)
        if request.status == Status.OPENING:  # proved, then stopped as its cases opened
            return await self._open(request)
        given = rules.keyed(self.key, f"code:{request_id}:{code.strip()}")
        verdict, after = rules.check_code(request, given, self._now())
        if verdict == Verdict.DONE:
            return Proved(verdict, request, len(request.case_ids))
        if verdict != Verdict.PROVEN:
            if after != request:
                await self.requests.save(after)
            if after.status in (Status.LOCKED, Status.EXPIRED):
                await self._forget(request_id)
            return Proved(verdict, after)
        contact = await self.seal.open(request_id)
        if contact is None:
            return Proved(Verdict.EXPIRED, request)
        refs = await self.owners.subjects_of(contact, request.subject_kind)  # may raise
        noted = replace(after, status=Status.OPENING, opening=tuple(dict.fromkeys(refs)))
        await self.requests.save(noted)  # first: a stop from here is finished, not lost
        return await self._open(noted)

    async def _open(self, request: PersonRequest) -> Proved:
        """Open the cases noted on a proved request (those a stop left unopened) and
        record them on it."""
        case_ids = await open_noted(
            request, privacy=self.privacy, statements=self.statements, key=self.key
        )
        await self.statements.forget(pending(request.request_id))
        proved = replace(request, status=Status.PROVEN, case_ids=tuple(case_ids), opening=())
        if not case_ids:  # else kept sealed until every case has its answer; forgotten
            await self.seal.forget(request.request_id)  # first: no pass reads a request proved
            await self.privacy.audit.record(
                None, "public-request-unmatched", actor=ACTOR, kind=request.kind.value
            )
        await self.requests.save(proved)
        return Proved(Verdict.PROVEN, proved, len(case_ids))

    async def deliver(self) -> int:
        """Send the link to the copies once a request's access cases are all closed (one
        message, 7 days), tell that an erasure is done or how a rectification or an objection
        ended, then forget the contact; forget the contacts of requests never proved, and
        open the cases of those proved that a stop left unrecorded. How many requests were
        answered."""
        now = self._now()
        for stale in await self.requests.stale(now):
            await self._forget(stale.request_id)
            await self.requests.save(replace(stale, status=Status.EXPIRED))
        for stopped in await self.requests.opening(now):  # proved, its cases left unrecorded
            await self._open(stopped)
        sent = 0
        for request in await self.requests.awaiting_answer():
            cases = [await self.privacy.rights.get(c) for c in request.case_ids]
            closed = [c for c in cases if c is not None and c.status == CaseStatus.CLOSED]
            for case in closed:  # a statement has served once its case is closed
                if case.kind == CaseKind.RECTIFICATION:
                    await self.statements.forget(of_case(case.case_id))
            if len(closed) == len(cases):
                sent += await self._answer(request, closed, now)
        return sent

    async def _answer(self, request: PersonRequest, cases: list[Case], now: datetime) -> int:
        """The request's last message (the copies' link, its erasure done, a rectification's
        or an objection's answer), once; its contact forgotten before it is marked answered."""
        context: dict[str, Any]
        template, context = "droits-effacement", {"on": now}
        if request.kind in ROUTED:
            template, context = "droits-reponse", rules.answer(cases)
        elif request.kind == CaseKind.ACCESS:
            # an export the subject's erasure destroyed meanwhile has no link to send
            ready = [c for c in cases if not await self.privacy.rights.destroyed(c)]
            expires = now + rules.LINK_TTL
            link = self.link(request, "", expires)  # no case: the request's every copy
            template = "droits-export" if ready else ""
            context = {"link": link, "expires_at": expires, "parts": len(ready)}
        contact = await self.seal.open(request.request_id) if template else None
        if contact is not None:  # the notifier's record, keyed: a pass again sends nothing
            await self._send(request, contact, template, context)
        await self.seal.forget(request.request_id)  # before the request leaves the passes
        await self.requests.save(replace(request, link_sent_at=now))
        return int(contact is not None)

    def link(self, request: PersonRequest, case_id: str, expires: datetime) -> str:
        """The copies' address (a case's, for the links of before: `""` names them all),
        opening in the request's language on any device."""
        token = rules.link_token(self.key, request.request_id, case_id, expires)
        return opened_in(f"{self.public_url}/vos-droits/export/{token}", request.language)

    async def _linked(self, token: str) -> tuple[PersonRequest, str] | None:
        """The link's request and case (if any), if it is ours, unexpired, and the case its."""
        link = rules.read_link(self.key, token, self._now())
        request = await self.requests.get(link.request_id) if link else None
        if link is None or request is None or not request.case_ids:
            return None
        if link.case_id and link.case_id not in request.case_ids:
            return None
        return request, link.case_id

    async def copies(self, token: str, *, form: str) -> list[dict[str, Any]] | None:
        """Every case's export behind a link, in the request's order: all the contact named.
        Each read is in its case's audit trail. Those an erasure destroyed since are left
        out; `ExportDestroyedError` if it destroyed them all (nothing is left behind it)."""
        linked = await self._linked(token)
        if linked is None:
            return None
        found, gone = [], None
        for case_id in linked[0].case_ids:
            try:
                found.append(await self.privacy.export(case_id, actor=ACTOR, form=form))
            except ExportDestroyedError as destroyed:
                gone = destroyed
        if gone is not None and not any(found):
            raise gone
        return [export for export in found if export is not None]

    async def export(self, token: str, *, form: str, part: str = "") -> dict[str, Any] | None:
        """One case's export behind a link: `part` (one of the request's cases), else the
        link's case, else the first; the read is in the case's audit trail.
        `ExportDestroyedError` once the person's erasure destroyed it."""
        linked = await self._linked(token)
        if linked is None:
            return None
        request, case_id = linked
        chosen = part or case_id or request.case_ids[0]
        if chosen not in request.case_ids:
            return None
        return await self.privacy.export(chosen, actor=ACTOR, form=form)

    async def _send(
        self,
        request: PersonRequest,
        contact: Contact,
        template: str,
        context: dict[str, Any],
    ) -> None:
        # a code is asked for now: it goes at once, quiet hours or not (`codes`)
        notifier = self.codes if template == "code-contact" else self.notifier
        await notifier.notify(
            Notification(
                key=f"{request.request_id}:{template}",
                template=template,
                channel=NoticeChannel(contact.channel.value),
                to=contact.value,
                recipient_ref=f"demande-{request.request_id}",
                context=context,
                language=request.language,
            )
        )
