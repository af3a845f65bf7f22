"""The French words staff read for the network's vocabularies (forms and records)."""

from entraide.contracts.associations import NAMES
from entraide.contracts.vocab import (
    ContactChannel,
    DayPart,
    Need,
    Urgency,
    Weekday,
    WithdrawalReason,
)
from entraide.intake.domain import Sign
from entraide.kit import formats
from entraide.kit.principal import ROLE_LABELS

NEEDS = {
    Need.PARRAINAGE_PROXIMITE: "Parrainage de proximité",
    Need.GRAND_PARRAINAGE: "Grand-parrainage",
    Need.ACCOMPAGNEMENT_SCOLAIRE: "Accompagnement scolaire",
    Need.SOUTIEN_PARENTALITE: "Soutien à la parentalité",
    Need.REPIT_GARDE: "Répit, garde ponctuelle",
    Need.ACTIVITES_LIEN_SOCIAL: "Activités et lien social",
    Need.ACCES_AUX_DROITS: "Accès aux droits",
    Need.ECOUTE: "Écoute",
}
SIGNS = {
    Sign.EPUISEMENT: "Le parent dit être épuisé",
    Sign.ISOLEMENT: "Isolement social",
    Sign.SANS_RELAIS: "Aucun relais familial ou amical",
    Sign.SANTE: "Problème de santé (parent ou enfant)",
    Sign.TOUT_PETITS: "Enfant de moins de 3 ans",
    Sign.RUPTURE: "Rupture récente (séparation, déménagement, emploi)",
    Sign.CRISE: "Situation de crise : besoin immédiat",
}
URGENCY = {
    Urgency.LOW: "Faible",
    Urgency.MEDIUM: "Moyenne",
    Urgency.HIGH: "Élevée",
    Urgency.CRITICAL: "Critique",
}
DAYS = {
    Weekday.MONDAY: "Lundi",
    Weekday.TUESDAY: "Mardi",
    Weekday.WEDNESDAY: "Mercredi",
    Weekday.THURSDAY: "Jeudi",
    Weekday.FRIDAY: "Vendredi",
    Weekday.SATURDAY: "Samedi",
    Weekday.SUNDAY: "Dimanche",
}
PARTS = {DayPart.MORNING: "matin", DayPart.AFTERNOON: "après-midi", DayPart.EVENING: "soir"}
SLOTS = {f"{d.value}-{p.value}": f"{DAYS[d]} {PARTS[p]}" for d in Weekday for p in DayPart}
LANGUAGES = {
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
CONTACT_PREFERENCES = {"phone": "Téléphone", "sms": "SMS", "email": "E-mail", "post": "Courrier"}
CONTACT_CHANNELS = {
    ContactChannel.PHONE: "Appel téléphonique",
    ContactChannel.SMS: "SMS",
    ContactChannel.EMAIL: "E-mail",
    ContactChannel.VISIT: "Rencontre",
    ContactChannel.POST: "Courrier",
    ContactChannel.OTHER: "Autre",
}
WITHDRAWAL_REASONS = {
    WithdrawalReason.FAMILY_CHOICE: "La famille ne souhaite plus être accompagnée",
    WithdrawalReason.NEED_MET_ELSEWHERE: "Besoin couvert ailleurs",
    WithdrawalReason.DUPLICATE: "Doublon d'une autre demande",
    WithdrawalReason.CONSENT_WITHDRAWN: "Le parent retire son accord à l'orientation",
    WithdrawalReason.OTHER: "Autre raison",
}
STATUS = {"submitted": "Enregistrée", "withdrawn": "Retirée"}
# a request's orientation, as matching's events tell it (`orientation`)
ORIENTATION = {
    None: "En attente d'orientation",
    "proposed": "Proposée",
    "accepted": "Acceptée",
    "declined": "Proposition déclinée",
    "expired": "Proposition expirée",
    "started": "Accompagnement commencé",
    "waitlisted": "En liste d'attente",
    "closed": "Close",
}
ORIENTATION_BADGE = {
    "proposed": "new",
    "accepted": "success",
    "started": "success",
    "waitlisted": "warning",
    "closed": "info",
}
WAITLIST_REASONS = {  # matching's hard rules (its own labels: each service keeps its words)
    "no-consent": "pas d'accord du parent",
    "support-inactive": "bénévole en pause ou parti",
    "need-not-covered": "aucun bénévole ni action pour ce besoin",
    "too-far": "personne à distance raisonnable",
    "no-capacity": "plus de place chez les bénévoles proches",
    "no-shared-slot": "aucun créneau en commun",
    "children-ages-outside-range": "âges des enfants hors des actions proches",
    "honorability-check-missing": "contrôle d'honorabilité manquant",
    "declined-before": "propositions déjà déclinées",
}
DECLINE_REASONS = {
    "volunteer-unavailable": "le bénévole n'est pas disponible",
    "too-far": "trop loin en pratique",
    "not-suitable": "profil ne correspondant pas",
    "family-unreachable": "famille injoignable",
    "other": "autre raison",
}
OUTCOMES = {
    "completed": "accompagnement mené à son terme",
    "ended-by-family": "arrêt à la demande de la famille",
    "ended-by-volunteer": "arrêt à la demande du bénévole",
    "ended-by-association": "arrêt décidé par l'association",
    "no-contact": "plus de nouvelles",
    "request-withdrawn": "demande retirée",
    "volunteer-unavailable": "bénévole devenu indisponible",
    "consent-withdrawn": "accord du parent retiré",
}
SUPPORTS = {"volunteer": "un ou une bénévole", "offer": "une action"}
ASSOCIATIONS = NAMES  # the network's associations (contracts' shared reference)
ROLES_AUDIT = {
    "family.read": "Consultation",
    "family.search": "Recherche",
    "family.create": "Création",
    "request.rectify": "Rectification",
    "request.withdraw": "Retrait",
    "family.contact": "Contact noté",
    "family.consent": "Accord du parent modifié",
    "family.share": "Fiche ouverte à l'association de la mise en relation",
    "family.unshare": "Fiche refermée à la fin de la mise en relation",
    "family.share-refused": "Fiche non ouverte : le parent n'a pas accepté le partage",
    "family.share-override": "Fiche ouverte sans accord de partage, par autorisation",
}
# who wrote an audit entry, as the journal names them
ROLES = {role.value: label for role, label in ROLE_LABELS.items()} | {"system": "Automatique"}

when = formats.when  # a moment as staff read it: Paris time, `29/11/2026 à 23 h 05`
