"""A volunteer's own door: the one-time sign-in link sent by e-mail, and their session.

The address they type is never stored: directory keeps a keyed hash of it (`email_lookup`)
to find the volunteer. A link carries a random token; only its hash is kept, it expires
after 15 minutes and opens one session, once. The session is a cookie of its own (not the
staff's), signed, naming the volunteer and when it ends. Pure: no I/O.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from entraide.directory.domain.volunteers.rules import Status

LINK_VALIDITY = timedelta(minutes=15)
# links sent to one volunteer within an hour, whoever asks (the doors also limit each client
# address): past it, no mail goes, and the page answers as always
LINKS_PER_HOUR = 5
SESSION_VALIDITY = timedelta(hours=2)
TOKEN_BYTES = 32
# who may sign in: a candidate and a volunteer (paused too); not after leaving or a refusal
MAY_SIGN_IN = frozenset({Status.APPLIED, Status.IN_REVIEW, Status.APPROVED, Status.PAUSED})


def normalized(email: str) -> str:
    """The address as compared: trimmed, lower case (what people type varies)."""
    return email.strip().lower()


def email_lookup(secret: bytes, email: str) -> str:
    """The keyed hash directory finds a volunteer by (the address itself is sealed)."""
    digest = hmac.new(secret, b"volunteer-email:" + normalized(email).encode(), hashlib.sha256)
    return digest.hexdigest()


def token_hash(token: str) -> str:
    """What is stored of a link's token: a hash (a leaked store opens no session)."""
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Link:
    """A new link: the token to send, its hash to keep, until when it opens a session."""

    token: str
    hashed: str
    expires_at: datetime


def new_link(now: datetime) -> Link:
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return Link(token, token_hash(token), now + LINK_VALIDITY)


def _signature(secret: bytes, payload: str) -> str:
    return hmac.new(secret, b"volunteer-session:" + payload.encode(), hashlib.sha256).hexdigest()


def session_value(secret: bytes, volunteer_id: str, now: datetime) -> str:
    """The cookie's value: the volunteer, when the session ends, and their signature."""
    payload = f"{volunteer_id}.{int((now + SESSION_VALIDITY).timestamp())}"
    return f"{payload}.{_signature(secret, payload)}"


def session_volunteer(secret: bytes, value: str, now: datetime) -> str | None:
    """The volunteer a cookie names, if its signature holds and it has not ended."""
    payload, _, signature = value.rpartition(".")
    volunteer_id, _, until = payload.partition(".")
    if not (volunteer_id and until.isdigit() and signature):
        return None
    if not hmac.compare_digest(_signature(secret, payload), signature):
        return None
    return volunteer_id if int(until) > now.timestamp() else None
