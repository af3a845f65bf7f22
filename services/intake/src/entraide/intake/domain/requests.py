"""Intake's rules: what a request says, how urgent it is, and what of it may leave intake.

Pure functions, no I/O: the family's identity stays here, only a coarse, pseudonymous
view of the request travels to the other services.
"""

import base64
import hashlib
import hmac
import secrets
import unicodedata
import uuid
from collections.abc import Sequence
from datetime import datetime

from entraide.contracts import departements
from entraide.contracts.events import RequestSubmitted, RequestUpdated, Slot
from entraide.contracts.vocab import (
    AgeBand,
    ContactChannel,
    Need,
    RequestChannel,
    SituationSign,
    Urgency,
)

AGE_BANDS: tuple[tuple[int, AgeBand], ...] = (
    (2, AgeBand.BAND_0_2),
    (5, AgeBand.BAND_3_5),
    (10, AgeBand.BAND_6_10),
    (14, AgeBand.BAND_11_14),
    (17, AgeBand.BAND_15_17),
)


# The signs of exhaustion or isolation staff note with the parent: the shared vocabulary
# (their codes travel on the requests topic, for the observatory)
Sign = SituationSign


def new_request_id() -> str:
    return uuid.uuid4().hex


def new_family_ref() -> str:
    """A random pseudonym: it cannot be derived from the family's identity."""
    return secrets.token_urlsafe(16)


def partner_ids(key: bytes, family_id: str) -> tuple[str, str]:
    """A partner family's reference and first request id, the same each time its event is
    recorded (a resend after the store was restored to an earlier point names the same
    request to matching, not a second one); keyed, so nobody without intake's key can tie
    a partner's event id to a reference on the topics."""
    digest = hmac.new(key, family_id.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:16]).decode().rstrip("="), digest[16:].hex()


def age_band(birth_year: int, today_year: int) -> AgeBand:
    """The band of a child's age this year (ages travel as bands, never birth years)."""
    age = max(0, today_year - birth_year)
    for upper, band in AGE_BANDS:
        if age <= upper:
            return band
    return AgeBand.BAND_18_PLUS


departement_of = departements.of_postal_code  # the contracts' (directory's volunteers too)


def urgency_from(signs: set[Sign]) -> Urgency:
    """A crisis is critical; exhaustion with no one to turn to is high; any sign is medium."""
    if Sign.CRISE in signs:
        return Urgency.CRITICAL
    if len(signs) >= 3 or {Sign.EPUISEMENT, Sign.SANS_RELAIS} <= signs:
        return Urgency.HIGH
    return Urgency.MEDIUM if signs else Urgency.LOW


def submitted_event(
    *,
    request_id: str,
    family_ref: str,
    postal_code: str,
    children_birth_years: list[int],
    needs: list[Need],
    availability: list[Slot],
    languages: list[str],
    signs: set[Sign],
    association_id: str | None,
    channel: RequestChannel,
    consent_to_matching: bool,
    at: datetime,
    contact_channels: Sequence[str] = (),
) -> RequestSubmitted:
    """The pseudonymised `request submitted` payload: no name, contact, address or notes."""
    return RequestSubmitted(
        request_id=request_id,
        family_ref=family_ref,
        revision=1,
        departement=departement_of(postal_code),
        postal_code=postal_code,
        children_age_bands=list(
            dict.fromkeys(age_band(y, at.year) for y in sorted(children_birth_years, reverse=True))
        ),
        needs=sorted(set(needs)),
        availability=availability,
        languages=sorted(set(languages)),
        urgency=urgency_from(signs),
        signs=sorted(sign.value for sign in signs),  # codes only: the observatory counts them
        association_id=association_id,
        channel=channel,
        consent_to_matching=consent_to_matching,
        contact_channels=[ContactChannel(c) for c in contact_channels],
        submitted_at=at,
    )


def lookup_terms(
    *, first_name: str, last_name: str, phone: str | None, email: str | None
) -> list[str]:
    """What identifies a parent for duplicate search: full name, phone, e-mail, normalised.

    Stored only as keyed hashes (see `usecases.recording.lookup_hashes`), so the store can find a
    family by these without holding them in clear.
    """
    terms = []
    if first_name.strip() and last_name.strip():
        terms.append(f"name:{_plain(last_name)}|{_plain(first_name)}")
    if phone:
        digits = "".join(c for c in phone if c.isdigit())
        terms.append(f"phone:0{digits[-9:]}")
    if email:
        terms.append(f"email:{email.strip().lower()}")
    return terms


def _plain(name: str) -> str:
    """Lower case, no accents, no punctuation: `Élodie-Marie` and `elodie marie` meet."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    letters = (c if c.isalnum() else " " for c in decomposed if not unicodedata.combining(c))
    return " ".join("".join(letters).split())


def as_update(state: RequestSubmitted, *, revision: int) -> RequestUpdated:
    """The request's state after a rectification, as its next revision."""
    fields = state.model_dump(exclude={"submitted_at", "revision"})
    return RequestUpdated(**fields, revision=revision, updated_at=state.submitted_at)
