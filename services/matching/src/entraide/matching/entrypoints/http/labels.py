"""The French words coordinators read on matching's pages: the shared vocabularies' from
the contracts (`entraide.contracts.labels`), and the words only these pages use (the
score's parts, a match's states, the check-ins and what is due)."""

from datetime import date

from entraide.contracts import labels as shared
from entraide.contracts.associations import IN_SENTENCE, NAMES
from entraide.contracts.vocab import MatchOutcome
from entraide.kit import formats
from entraide.matching.domain.lifecycle import FAMILY_ERASED
from entraide.matching.domain.policy import TEXT_FR

URGENCY_POLICY = TEXT_FR  # the urgency policy, as /attente and /propositions show it

NEEDS = shared.NEEDS
AGE_BANDS = shared.AGE_BANDS  # « 3 à 5 ans »: a family's children, by band
ASSOCIATIONS = NAMES  # the network's associations (contracts' shared reference)
ASSOCIATIONS_IN_SENTENCE = IN_SENTENCE  # after « de », « par »: « bénévole de l'AFEV »
# matching writes both inside a sentence (« Urgence élevée », « parle arabe »)
LANGUAGES = {code: shared.in_sentence(text) for code, text in shared.LANGUAGES.items()}
URGENCY = {level: shared.in_sentence(text) for level, text in shared.URGENCY.items()}
UNFIT = shared.WAITLIST_REASONS
DECLINE_REASONS = shared.DECLINE_REASONS
# an association's action has no volunteer to be unavailable, a volunteer no action to fill
VOLUNTEER_ONLY = frozenset({"volunteer-unavailable"})
ACTION_ONLY = frozenset({"action-full"})
# the outcomes a coordinator closes a match with (the others are the engine's)
OUTCOMES: dict[str, str] = {
    outcome: shared.MATCH_OUTCOMES[outcome]
    for outcome in (
        MatchOutcome.COMPLETED,
        MatchOutcome.ENDED_BY_FAMILY,
        MatchOutcome.ENDED_BY_VOLUNTEER,
        MatchOutcome.ENDED_BY_ASSOCIATION,
        MatchOutcome.NO_CONTACT,
    )
}


# why a match ended, as « Terminés ces 30 derniers jours » says it (the engine's outcomes
# too, and the erasure's, which is no event)
ENDINGS = shared.MATCH_OUTCOMES | {FAMILY_ERASED: "Données de la famille effacées"}


def decline_reasons(support_key: str) -> dict[str, str]:
    """The refusal reasons that fit a proposal of this support (`volunteer:` or `offer:`)."""
    unfit = ACTION_ONLY if support_key.startswith("volunteer:") else VOLUNTEER_ONLY
    return {k: text for k, text in DECLINE_REASONS.items() if k not in unfit}


def outcomes(support_key: str) -> dict[str, str]:
    """The outcomes a match of this support closes with (an action has no volunteer)."""
    if support_key.startswith("volunteer:"):
        return OUTCOMES
    return {k: text for k, text in OUTCOMES.items() if k != MatchOutcome.ENDED_BY_VOLUNTEER}


# matching's own words
PARTS = {
    "distance": "Proximité",
    "slots": "Créneaux communs",
    "language": "Langue",
    "continuity": "Association connue",
    "load": "Places libres",
    "skills": "Savoir-faire utile",
}
STATES = {
    "proposed": "Proposée",
    "accepted": "Acceptée",
    "declined": "Déclinée",
    "expired": "Expirée",
    "started": "Commencée",
    "closed": "Close",
}
CHECK_INS = {"1-month": "Suivi à un mois", "3-month": "Suivi à trois mois", "other": "Autre point"}
# what the coordinators' queue (/suivis, « À faire aujourd'hui ») asks for
DUE = {
    "1-month": "Suivi à un mois",
    "3-month": "Suivi à trois mois",
    "rupture": "Six semaines sans contact : appeler la famille",
}


# what becomes of a family whose volunteer's check lapsed before they began (`check_lapsed`)
PLACED_AGAIN = "la famille reçoit la proposition suivante ou attend qu'un soutien lui convienne."


def check_lapsed(association_id: str, until: date | None, *, starting: bool = False) -> str:
    """Why a volunteer's proposal was not accepted, or their support not started: their
    honorability check lapsed (`until`: its last valid day; the match ended and the family
    was placed again). The volunteer named as the pages name them, by their association."""
    association = ASSOCIATIONS_IN_SENTENCE.get(association_id)
    who = f"bénévole de {association}" if association else "bénévole"
    why = (
        f"L'attestation d'honorabilité du {who} a expiré le {formats.long_day(until)}"
        if until
        else f"Le {who} n'a plus d'attestation d'honorabilité valable"
    )
    if starting:
        return f"{why} : l'accompagnement ne peut pas commencer. Il est clos, et {PLACED_AGAIN}"
    return f"{why} : la proposition ne peut pas être acceptée. Elle est retirée, et {PLACED_AGAIN}"
