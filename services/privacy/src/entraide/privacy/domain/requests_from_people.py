"""A rights request sent by the person, through the public form: the contact the network
knows them by, proved with a one-time code, then one case per subject that contact names.

Pure rules: how a contact is read (an e-mail or a French phone number, normalised as intake
normalises its duplicate-search terms, so the same keyed hash finds the same family), how a
code is checked (hashed, 15 minutes, 5 attempts), how many requests one contact or one
address may start, and the signed link that delivers an access export (7 days).
"""

import hashlib
import hmac
import re
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from entraide.contracts.vocab import SubjectKind
from entraide.privacy.domain import cases as case_rules
from entraide.privacy.domain.cases import Case, CaseKind

CODE_TTL = timedelta(minutes=15)
MAX_ATTEMPTS = 5
LINK_TTL = timedelta(days=7)
RATE_WINDOW = timedelta(hours=1)
PER_CONTACT = 3  # requests one contact may start per hour
PER_ADDRESS = 10  # requests one client address may start per hour
EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,255}\.[^@\s]{2,}$")


class Channel(StrEnum):
    EMAIL = "email"
    SMS = "sms"


@dataclass(frozen=True)
class Contact:
    channel: Channel
    value: str  # normalised: lower-case e-mail, or a phone as 0 and nine digits

    @property
    def term(self) -> str:
        """The duplicate-search term owners hash (intake's `domain.requests.lookup_terms`)."""
        return f"{'email' if self.channel == Channel.EMAIL else 'phone'}:{self.value}"


def contact_of(raw: str) -> Contact | None:
    """The contact typed in the form, or None if it is neither an e-mail nor a French
    phone number (06 12 34 56 78, +33 6 12 34 56 78)."""
    text = raw.strip()
    if "@" in text:
        return Contact(Channel.EMAIL, text.lower()) if EMAIL.match(text) else None
    if re.search(r"[^0-9+ .()-]", text):
        return None
    digits = "".join(c for c in text if c.isdigit())
    if text.startswith("+33") or text.startswith("0033"):
        digits = digits[4:] if text.startswith("0033") else digits[2:]
        return Contact(Channel.SMS, f"0{digits}") if len(digits) == 9 else None
    if len(digits) == 10 and digits.startswith("0"):
        return Contact(Channel.SMS, digits)
    return None


def keyed(key: bytes, text: str) -> str:
    """A keyed hash (HMAC-SHA256): what is kept instead of a contact, an address or a code."""
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()


class Status(StrEnum):
    WAITING = "waiting"  # the code was sent, not typed yet
    # the contact is proved, the subjects it names noted (`opening`), their cases not all
    # recorded yet: a stop there is finished by the code again or the next pass
    OPENING = "opening"
    PROVEN = "proven"  # the contact is proved: cases opened (or none found)
    LOCKED = "locked"  # too many wrong codes
    EXPIRED = "expired"


@dataclass(frozen=True)
class PersonRequest:
    request_id: str
    kind: CaseKind
    subject_kind: SubjectKind
    channel: Channel
    contact_hash: str  # keyed hash of the contact: never the contact itself
    address_hash: str
    code_hash: str
    created_at: datetime
    expires_at: datetime
    attempts: int = 0
    status: Status = Status.WAITING
    case_ids: tuple[str, ...] = ()
    # the keyed hash of the family's follow-up code, if given: a credential of intake's status
    # page, so never kept in clear; not used to find the family yet (the contact is)
    follow_up: str | None = None
    link_sent_at: datetime | None = None
    language: str = "fr"  # the rights page's: its code and its link are sent in it
    opening: tuple[str, ...] = ()  # the subjects whose cases open (`Status.OPENING`)


class Verdict(StrEnum):
    PROVEN = "proven"
    WRONG = "wrong"  # attempts left
    LOCKED = "locked"
    EXPIRED = "expired"
    DONE = "done"  # already proved: nothing more


def check_code(
    request: PersonRequest, given_hash: str, now: datetime
) -> tuple[Verdict, PersonRequest]:
    """The verdict on a typed code (its keyed hash) and the request after it."""
    if request.status in (Status.PROVEN, Status.OPENING):
        return Verdict.DONE, request
    if request.status == Status.LOCKED or request.attempts >= MAX_ATTEMPTS:
        return Verdict.LOCKED, replace(request, status=Status.LOCKED)
    if now >= request.expires_at or request.status == Status.EXPIRED:
        return Verdict.EXPIRED, replace(request, status=Status.EXPIRED)
    if hmac.compare_digest(request.code_hash, given_hash):
        return Verdict.PROVEN, replace(request, status=Status.PROVEN)
    tried = replace(request, attempts=request.attempts + 1)
    if tried.attempts >= MAX_ATTEMPTS:
        return Verdict.LOCKED, replace(tried, status=Status.LOCKED)
    return Verdict.WRONG, tried


def case_id_of(key: bytes, request_id: str, subject_ref: str) -> str:
    """The id of the case a request opens for a subject: the same however often it is
    opened (a stop, the code typed again), so the store keeps one case."""
    return keyed(key, f"case:{request_id}:{subject_ref}")[:32]


def attempts_left(request: PersonRequest) -> int:
    return max(0, MAX_ATTEMPTS - request.attempts)


def may_start(*, by_contact: int, by_address: int) -> bool:
    """Whether one more request may start, given those of the last hour."""
    return by_contact < PER_CONTACT and by_address < PER_ADDRESS


def link_token(key: bytes, request_id: str, case_id: str, expires: datetime) -> str:
    """A link's token: the request, the case, the expiry, signed (no contact in it)."""
    body = f"{request_id}.{case_id}.{int(expires.timestamp())}"
    return f"{body}.{keyed(key, 'export-link:' + body)[:32]}"


@dataclass(frozen=True)
class Link:
    request_id: str
    case_id: str
    expires: int  # seconds since the epoch


def read_link(key: bytes, token: str, now: datetime) -> Link | None:
    """The link's request and case if the token is ours and not expired, else None."""
    parts = token.split(".")
    if len(parts) != 4 or not parts[2].isdigit():
        return None
    body = ".".join(parts[:3])
    if not hmac.compare_digest(parts[3], keyed(key, "export-link:" + body)[:32]):
        return None
    if now.timestamp() >= int(parts[2]):
        return None
    return Link(parts[0], parts[1], int(parts[2]))


# what the person is told of a routed case's decision (`droits-reponse`'s `outcome`)
OUTCOMES = {
    case_rules.RECTIFIED: "done",
    case_rules.DONE: "done",
    "refused": "refused",
    "not-applicable": "moot",
    case_rules.NO_RECORD: "moot",
    case_rules.ERASED: "erased",  # the data to correct erased instead
    case_rules.SUBJECT_ERASED: "gone",  # the person's data erased since (erasure, retention)
}
# an answer that tells of several cases (a contact naming several records): what was
# done first, then a refusal, then nothing to do
_FIRST = ("done", "erased", "gone", "refused", "moot")


def answer(cases: list[Case]) -> dict[str, str | datetime]:
    """The outcome of a rectification's or an objection's closed cases, as the person is
    told it (`droits-reponse`): its kind, the outcome, and the day it was done (the
    correction's own day, else the closing's)."""
    case = min(cases, key=lambda c: _FIRST.index(OUTCOMES.get(c.decision or "", "done")))
    on = case.rectified.at if case.rectified else case.closed_at or case.opened_at
    return {"kind": case.kind.value, "outcome": OUTCOMES.get(case.decision or "", "done"), "on": on}
