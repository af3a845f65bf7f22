"""A family's own request (the public door « Demander de l'aide »): held in a queue until
staff of the association or of the network confirm it; never published before.

Pure Python, no I/O: the follow-up code the family keeps (random, shown once, stored only
as a hash), the signs of a script filling the form (a hidden field, too little time), and
where the request stands in words a parent understands, with no personal data.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from entraide.contracts.associations import IN_SENTENCE, NAMES
from entraide.contracts.events import Slot
from entraide.contracts.vocab import Need
from entraide.intake.domain.family import Sealed

# no 0/O, 1/I/L, 5/S, 8/B: read aloud or copied from an SMS without a doubt
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY2345679"
CODE_GROUPS, CODE_GROUP_LENGTH = 4, 4  # 16 symbols of 27: about 76 bits, not guessable
MIN_FILL_SECONDS = 4.0  # a person reads the page; a script posts at once
MAX_FILL = timedelta(hours=12)  # an older form asks to reload (and fill again)
PER_CONTACT_PER_DAY = 3  # requests with one phone number or e-mail waiting in a day


class Stage(StrEnum):
    PENDING = "pending"  # received, waiting for staff
    CONFIRMED = "confirmed"  # published to matching as a request of its own family
    MERGED = "merged"  # joined to a family already known (a new request of it)
    REFUSED = "refused"  # not kept (a joke, an abuse, out of the network's reach)


class RefusalReason(StrEnum):
    UNREACHABLE = "unreachable"
    NOT_A_REQUEST = "not-a-request"
    OUT_OF_REACH = "out-of-reach"


# the refusals the parent is told of, with somewhere to turn (waiting for a call that never
# comes is no answer); never a joke or an abuse, which would only be encouraged
TOLD_REFUSALS = frozenset({RefusalReason.OUT_OF_REACH, RefusalReason.UNREACHABLE})


@dataclass
class SelfRequest:
    """A request from the family itself, as the queue holds it: the identity sealed with
    the family's own key (the same as staff-recorded identity), the coarse fields in clear
    for the staff queue and its scope."""

    id: str
    family_id: str  # the family's id once confirmed (its key is already under it)
    family_ref: str
    association_id: str | None  # the association the family chose (from an offer), if any
    offer_id: str | None
    departement: str
    postal_code: str
    children_birth_years: list[int]
    needs: list[Need]
    availability: list[Slot]
    languages: list[str]
    contact_preferences: list[str]  # phone, sms, email: how to call back (no address)
    sealed: Sealed  # parent, commune, preferred times, message
    lookup: list[str]  # keyed hashes of name, phone, e-mail (duplicates, per-contact limit)
    code_hash: str
    submitted_at: datetime
    stage: Stage = Stage.PENDING
    possible_duplicates: list[str] = field(default_factory=list)  # families already known
    similar_pending: int = 0  # other requests waiting with the same name, phone or e-mail
    decided_at: datetime | None = None
    decided_by: str | None = None
    request_id: str | None = None  # the published request, once confirmed or merged
    refusal: RefusalReason | None = None
    language: str = "fr"  # the door page's when the parent wrote: its messages' language
    # privacy's rectification cases flagged while it waits (the staff who confirm it see
    # them; confirming or joining carries them onto the family's record, corrected there)
    rectifications: list[str] = field(default_factory=list)
    rectifications_done: list[str] = field(default_factory=list)  # withdrawn by the officer
    # what its decision still owes, one note (`usecases.door_owed`) written with the
    # decision and cleared by the one write that settles it, so a crash between leaves it
    # for the next pass: its flags carried onto the record `owed_to`, or answered erased
    # (`door_rectifications`)...
    owed: str | None = None
    owed_to: str | None = None
    # ...and, for a refusal she is told of (`TOLD_REFUSALS`), her message: her sealed copy
    # and its key kept until the notifier has it, never past this time (`door_refusals`)
    telling_until: datetime | None = None


def new_code() -> str:
    """A follow-up code such as `K7QD-9XRA-M3TE-HW2C`: random, read and typed easily."""
    symbols = [secrets.choice(CODE_ALPHABET) for _ in range(CODE_GROUPS * CODE_GROUP_LENGTH)]
    groups = (
        "".join(symbols[i : i + CODE_GROUP_LENGTH])
        for i in range(0, len(symbols), CODE_GROUP_LENGTH)
    )
    return "-".join(groups)


def normalise_code(typed: str) -> str | None:
    """The code as typed (lower case, spaces, dashes or not), or None if it cannot be one."""
    plain = "".join(c for c in typed.upper() if c.isalnum())
    if len(plain) != CODE_GROUPS * CODE_GROUP_LENGTH or any(c not in CODE_ALPHABET for c in plain):
        return None
    return plain


def code_hash(code: str) -> str:
    """What the store keeps of the code (a long random code needs no key nor salt)."""
    plain = normalise_code(code) or ""
    return hashlib.sha256(f"entraide-suivi:{plain}".encode()).hexdigest()


def looks_automated(honeypot: str, started_at: float | None, now: float) -> bool:
    """A hidden field filled in, a form posted too fast, or with no start time: a script."""
    if honeypot.strip() or started_at is None:
        return True
    return not MIN_FILL_SECONDS <= now - started_at <= MAX_FILL.total_seconds()


def N_(message: str) -> str:  # noqa: N802  # gettext's mark: extracted, translated by the page
    return message


class Standing(StrEnum):
    """Where a request stands, as the family's status page says it."""

    RECEIVED = "received"
    CONFIRMED = "confirmed"
    CALLING = "calling"  # a match was accepted: an association will call
    CONTACTING = "contacting"  # ...for a family that chose no call: it will write
    STARTED = "started"
    WAITING = "waiting"  # waitlisted: no place for now
    INTERRUPTED = "interrupted"  # the support agreed went (not her doing): looked for again
    ENDED = "ended"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"


WORDS: dict[Standing, tuple[str, str]] = {
    Standing.RECEIVED: (  # sent to no association: the queue of every one near her
        N_("Votre demande est reçue"),
        N_(
            "Une personne d'une association du réseau près de chez vous, ou de la coordination "
            "du réseau, va la relire : cela prend en général quelques jours. Le réseau cherchera "
            "ensuite une association ou un bénévole pour vous. L'association qui vous "
            "accompagnera prendra contact avec vous au moyen que vous avez choisi ; la page "
            "« Suivre ma demande » vous dira son nom."
        ),
    ),
    Standing.CONFIRMED: (
        N_("Votre demande est confirmée"),
        N_(
            "Une personne l'a relue. Le réseau cherche maintenant une association ou un bénévole "
            "près de chez vous."
        ),
    ),
    Standing.CALLING: (
        N_("Une association va vous appeler"),
        N_(
            "Une association du réseau a une place pour vous. Elle va vous contacter au moyen que "
            "vous avez choisi."
        ),
    ),
    Standing.CONTACTING: (
        N_("Une association va prendre contact avec vous"),
        N_(
            "Une association du réseau a une place pour vous. Elle va vous écrire au moyen que "
            "vous avez choisi."
        ),
    ),
    Standing.STARTED: (
        N_("L'accompagnement a commencé"),
        N_("Vous êtes en lien avec une association. Pour toute question, adressez-vous à elle."),
    ),
    Standing.WAITING: (
        N_("En attente d'une place"),
        N_(
            "Votre demande est confirmée, mais aucune place n'est libre près de chez vous pour le "
            "moment. Elle reste en attente : nous vous contacterons dès qu'une place se libère."
        ),
    ),
    Standing.INTERRUPTED: (
        N_("La personne qui vous accompagnait n'est plus disponible"),
        N_(
            "Ce n'est pas de votre fait. Votre demande reste ouverte : le réseau cherche "
            "quelqu'un d'autre pour vous, et une association vous recontactera au moyen que vous "
            "avez choisi."
        ),
    ),
    Standing.ENDED: (
        N_("L'accompagnement est terminé"),
        N_("Vous pouvez faire une nouvelle demande à tout moment."),
    ),
    Standing.REFUSED: (
        N_("Votre demande n'a pas pu être retenue"),
        N_(
            "Une personne l'a relue et n'a pas pu y donner suite. Vous pouvez faire une nouvelle "
            "demande ou appeler une association du réseau."
        ),
    ),
    Standing.WITHDRAWN: (
        N_("Votre demande est close"),
        N_("Elle a été retirée. Vous pouvez faire une nouvelle demande à tout moment."),
    ),
}

# a request sent to the association the parent chose (from its offer) is read there
RECEIVED_BY_CHOSEN = N_(
    "Une personne de %(name)s va la relire, puis prendre contact avec vous au moyen que vous "
    "avez choisi. Cela prend en général quelques jours."
)


def received_words(chosen: bool) -> str:
    """Who reads her request, as a parent is told: the association she `chosen` (its name
    fills `%(name)s`) or, sent to none, one near her or the network's coordination."""
    return RECEIVED_BY_CHOSEN if chosen else WORDS[Standing.RECEIVED][1]


def reader_name(association_id: str, language: str) -> str:
    """The association she chose as a sentence in `language` (a written language's code)
    says it after « de »: with its article in French and easy French (« une personne de
    l'AFEV »), its plain name in the other languages."""
    names = IN_SENTENCE if language in ("fr", "falc") else NAMES
    return names.get(association_id, association_id)


# matching's step of the request -> what the family reads
# (a proposal is a suggestion the association may still decline: the network still looks)
_STEPS = {
    "proposed": Standing.CONFIRMED,
    "accepted": Standing.CALLING,
    "started": Standing.STARTED,
    "waitlisted": Standing.WAITING,
    "declined": Standing.CONFIRMED,  # the network looks again
    "expired": Standing.CONFIRMED,
    "closed": Standing.ENDED,
}


def standing(
    stage: Stage,
    step: str | None = None,
    withdrawn: bool = False,
    by_call: bool = True,
    *,
    interrupted: bool = False,
) -> Standing:
    """Where a request stands: its stage in the queue, then matching's latest step (or its
    support agreed gone, `interrupted`, while none other is); a family that chose no call
    (`by_call` false) is never told it will be called."""
    if stage == Stage.PENDING:
        return Standing.RECEIVED
    if stage == Stage.REFUSED:
        return Standing.REFUSED
    if withdrawn:
        return Standing.WITHDRAWN
    if interrupted:
        return Standing.INTERRUPTED
    found = _STEPS.get(step or "", Standing.CONFIRMED)
    return Standing.CONTACTING if found == Standing.CALLING and not by_call else found


def form_token(key: bytes, started_at: float) -> str:
    """The form's start time, signed: a script cannot post an older one of its own."""
    stamp = f"{started_at:.0f}"
    return f"{stamp}.{_mac(key, stamp)}"


def form_started(key: bytes, token: str) -> float | None:
    """The start time a form token carries, or None if it was not ours."""
    stamp, _, mac = token.partition(".")
    if not stamp.isdigit() or not hmac.compare_digest(mac, _mac(key, stamp)):
        return None
    return float(stamp)


def _mac(key: bytes, stamp: str) -> str:
    return hmac.new(key, f"formulaire:{stamp}".encode(), hashlib.sha256).hexdigest()[:32]
