"""The French words people read for the network's shared vocabularies: one place for each.

Keys are the values that travel in the events (`vocab.py`), labels are capitalised as they
stand alone (a list, a column); `in_sentence` gives the form used inside a sentence. A
service keeps here only what another service or a partner could read too; words that
belong to one service's pages stay with its pages.
"""

from entraide.contracts.vocab import (
    AgeBand,
    ContactChannel,
    DayPart,
    ErasureReason,
    MatchOutcome,
    Need,
    RequestChannel,
    SubjectKind,
    Urgency,
    Weekday,
    WithdrawalReason,
)

NEEDS: dict[str, str] = {
    Need.PARRAINAGE_PROXIMITE: "Parrainage de proximité",
    Need.GRAND_PARRAINAGE: "Grand-parrainage",
    Need.ACCOMPAGNEMENT_SCOLAIRE: "Accompagnement scolaire",
    Need.SOUTIEN_PARENTALITE: "Soutien à la parentalité",
    Need.REPIT_GARDE: "Répit, garde ponctuelle",
    Need.ACTIVITES_LIEN_SOCIAL: "Activités et lien social",
    Need.ACCES_AUX_DROITS: "Accès aux droits",
    Need.ECOUTE: "Écoute",
}
# children's ages as they travel (bands, never birth dates), as people read them
AGE_BANDS: dict[str, str] = {
    AgeBand.BAND_0_2: "0 à 2 ans",
    AgeBand.BAND_3_5: "3 à 5 ans",
    AgeBand.BAND_6_10: "6 à 10 ans",
    AgeBand.BAND_11_14: "11 à 14 ans",
    AgeBand.BAND_15_17: "15 à 17 ans",
    AgeBand.BAND_18_PLUS: "18 ans et plus",
}
URGENCY: dict[str, str] = {
    Urgency.LOW: "Faible",
    Urgency.MEDIUM: "Moyenne",
    Urgency.HIGH: "Élevée",
    Urgency.CRITICAL: "Critique",
}
DAYS: dict[str, str] = {
    Weekday.MONDAY: "Lundi",
    Weekday.TUESDAY: "Mardi",
    Weekday.WEDNESDAY: "Mercredi",
    Weekday.THURSDAY: "Jeudi",
    Weekday.FRIDAY: "Vendredi",
    Weekday.SATURDAY: "Samedi",
    Weekday.SUNDAY: "Dimanche",
}
DAY_PARTS: dict[str, str] = {
    DayPart.MORNING: "matin",
    DayPart.AFTERNOON: "après-midi",
    DayPart.EVENING: "soir",
}
# a slot as the events write it (`mo-morning`) and as people read it (« Lundi matin »)
SLOTS: dict[str, str] = {
    f"{day.value}-{part.value}": f"{DAYS[day]} {DAY_PARTS[part]}"
    for day in Weekday
    for part in DayPart
}
# the languages families and volunteers speak, by ISO 639-1 code
LANGUAGES: dict[str, str] = {
    "fr": "Français",
    "ar": "Arabe",
    "en": "Anglais",
    "es": "Espagnol",
    "pt": "Portugais",
    "ro": "Roumain",
    "tr": "Turc",
    "wo": "Wolof",
    "bm": "Bambara",
    "ln": "Lingala",
    "ta": "Tamoul",
    "zh": "Chinois",
    "ru": "Russe",
    "uk": "Ukrainien",
    "fa": "Persan",
    "ps": "Pachto",
}
CONTACT_CHANNELS: dict[str, str] = {
    ContactChannel.PHONE: "Appel téléphonique",
    ContactChannel.SMS: "SMS",
    ContactChannel.EMAIL: "E-mail",
    ContactChannel.VISIT: "Rencontre",
    ContactChannel.POST: "Courrier",
    ContactChannel.OTHER: "Autre",
}
WITHDRAWAL_REASONS: dict[str, str] = {
    WithdrawalReason.FAMILY_CHOICE: "La famille ne souhaite plus être accompagnée",
    WithdrawalReason.NEED_MET_ELSEWHERE: "Besoin couvert ailleurs",
    WithdrawalReason.DUPLICATE: "Doublon d'une autre demande",
    WithdrawalReason.CONSENT_WITHDRAWN: "Le parent retire son accord à l'orientation",
    WithdrawalReason.ERASURE: "Données effacées",
    WithdrawalReason.OTHER: "Autre raison",
}
# why a request waits (matching's hard rules, `RequestWaitlisted.reason_code`)
WAITLIST_REASONS: dict[str, str] = {
    "no-consent": "Pas d'accord du parent",
    "support-inactive": "Bénévole en pause ou parti",
    "need-not-covered": "Aucun bénévole ni action pour ce besoin",
    "too-far": "Personne à distance raisonnable",
    "no-capacity": "Plus de place chez les bénévoles proches",
    "no-shared-slot": "Aucun créneau en commun",
    "children-ages-outside-range": "Âges des enfants hors des actions proches",
    "honorability-check-missing": "Contrôle d'honorabilité manquant",
    "declined-before": "Propositions déjà déclinées",
}
# why a proposal was declined (`ProposalDeclined.reason_code`)
DECLINE_REASONS: dict[str, str] = {
    "volunteer-unavailable": "Le bénévole n'est pas disponible",
    "action-full": "L'action n'a plus de place disponible",
    "too-far": "Trop loin en pratique",
    "not-suitable": "Profil ne correspondant pas",
    "family-unreachable": "Famille injoignable",
    "other": "Autre raison",
}
MATCH_OUTCOMES: dict[str, str] = {
    MatchOutcome.COMPLETED: "Accompagnement mené à son terme",
    MatchOutcome.ENDED_BY_FAMILY: "Arrêt à la demande de la famille",
    MatchOutcome.ENDED_BY_VOLUNTEER: "Arrêt à la demande du bénévole",
    MatchOutcome.ENDED_BY_ASSOCIATION: "Arrêt décidé par l'association",
    MatchOutcome.NO_CONTACT: "Plus de nouvelles",
    MatchOutcome.REQUEST_WITHDRAWN: "Demande retirée",
    MatchOutcome.VOLUNTEER_UNAVAILABLE: "Bénévole devenu indisponible",
    MatchOutcome.CONSENT_WITHDRAWN: "Accord du parent retiré",
}
REQUEST_CHANNELS: dict[str, str] = {
    RequestChannel.STAFF_FORM: "Formulaire du personnel",
    RequestChannel.STAFF_API: "API du personnel",
    RequestChannel.PARTNER: "Partenaire",
    RequestChannel.FAMILY: "Demande de la famille",
}
# what a volunteer knows how to do (free to add to: a skill matching does not know scores nothing)
SKILLS: dict[str, str] = {
    "aide-aux-devoirs": "Aide aux devoirs",
    "garde-d-enfants": "Garde d'enfants",
    "demarches-administratives": "Démarches administratives",
    "ecoute-active": "Écoute active",
    "activites-sportives-culturelles": "Activités sportives ou culturelles",
    "experience-de-parent": "Expérience de parent",
}
SUBJECT_KINDS: dict[str, str] = {SubjectKind.FAMILY: "Famille", SubjectKind.VOLUNTEER: "Bénévole"}
ERASURE_REASONS: dict[str, str] = {
    ErasureReason.RIGHTS_REQUEST: "Demande de la personne",
    ErasureReason.RETENTION: "Fin de la durée de conservation",
    ErasureReason.OBJECTION: "Opposition",
}


def in_sentence(label: str) -> str:
    """A label as it reads inside a sentence: « en attente : pas d'accord du parent »
    (the first letter lowered unless the first word is an acronym such as SMS)."""
    first = label.split(" ", 1)[0]
    if len(first) > 1 and first.isupper():
        return label
    return label[:1].lower() + label[1:]
