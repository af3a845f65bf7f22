"""Shared vocabularies of the v1 events. Adding a value is additive; removing one is breaking."""

from enum import StrEnum
from typing import Literal, get_args

# the languages the network writes in to families and volunteers: its public pages' and
# its messages' (French, easy-to-read French `falc`, English, Arabic, Portuguese, Romanian)
WrittenLanguage = Literal["fr", "falc", "en", "ar", "pt", "ro"]
WRITTEN_LANGUAGES: tuple[str, ...] = get_args(WrittenLanguage)


class Need(StrEnum):
    """What a family asks for (aligned with the associations' offers)."""

    PARRAINAGE_PROXIMITE = "parrainage-de-proximite"
    GRAND_PARRAINAGE = "grand-parrainage"
    ACCOMPAGNEMENT_SCOLAIRE = "accompagnement-scolaire"
    SOUTIEN_PARENTALITE = "soutien-a-la-parentalite"
    REPIT_GARDE = "repit-garde-ponctuelle"
    ACTIVITES_LIEN_SOCIAL = "activites-et-lien-social"
    ACCES_AUX_DROITS = "acces-aux-droits"
    ECOUTE = "ecoute"


class AgeBand(StrEnum):
    """Children's ages travel as bands, never as birth dates."""

    BAND_0_2 = "0-2"
    BAND_3_5 = "3-5"
    BAND_6_10 = "6-10"
    BAND_11_14 = "11-14"
    BAND_15_17 = "15-17"
    BAND_18_PLUS = "18+"


class SituationSign(StrEnum):
    """Signs of exhaustion or isolation noted with the parent (codes, never free text)."""

    EPUISEMENT = "epuisement-declare"
    ISOLEMENT = "isolement-social"
    SANS_RELAIS = "aucun-relais-familial"
    SANTE = "probleme-de-sante"
    TOUT_PETITS = "enfant-de-moins-de-3-ans"
    RUPTURE = "rupture-recente"
    CRISE = "situation-de-crise"


class Urgency(StrEnum):
    """How soon a family needs help, from the signs of exhaustion or isolation."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


class Weekday(StrEnum):
    MONDAY = "mo"
    TUESDAY = "tu"
    WEDNESDAY = "we"
    THURSDAY = "th"
    FRIDAY = "fr"
    SATURDAY = "sa"
    SUNDAY = "su"


class DayPart(StrEnum):
    MORNING = "morning"
    AFTERNOON = "afternoon"
    EVENING = "evening"


class RequestChannel(StrEnum):
    """How the request reached the network."""

    STAFF_FORM = "staff-form"
    STAFF_API = "staff-api"
    PARTNER = "partner"
    FAMILY = "family"  # the family's own door, confirmed by staff before it is published


class WithdrawalReason(StrEnum):
    FAMILY_CHOICE = "family-choice"
    NEED_MET_ELSEWHERE = "need-met-elsewhere"
    DUPLICATE = "duplicate"
    CONSENT_WITHDRAWN = "consent-withdrawn"
    ERASURE = "erasure"
    OTHER = "other"


class ContactChannel(StrEnum):
    """How staff reached the family (every contact moves its retention clock)."""

    PHONE = "phone"
    SMS = "sms"
    EMAIL = "email"
    VISIT = "visit"
    POST = "post"
    OTHER = "other"


class MatchOutcome(StrEnum):
    COMPLETED = "completed"
    ENDED_BY_FAMILY = "ended-by-family"
    ENDED_BY_VOLUNTEER = "ended-by-volunteer"
    ENDED_BY_ASSOCIATION = "ended-by-association"
    NO_CONTACT = "no-contact"
    REQUEST_WITHDRAWN = "request-withdrawn"
    VOLUNTEER_UNAVAILABLE = "volunteer-unavailable"
    CONSENT_WITHDRAWN = "consent-withdrawn"  # the family withdrew its consent to matching


class SubjectKind(StrEnum):
    FAMILY = "family"
    VOLUNTEER = "volunteer"


class ErasureReason(StrEnum):
    RIGHTS_REQUEST = "rights-request"
    RETENTION = "retention"
    OBJECTION = "objection"
