"""The French words coordinators read for matching's vocabularies."""

from entraide.contracts.associations import NAMES
from entraide.matching.domain.policy import TEXT_FR

URGENCY_POLICY = TEXT_FR  # the urgency policy, as /attente and /propositions show it

NEEDS = {
    "parrainage-de-proximite": "Parrainage de proximité",
    "grand-parrainage": "Grand-parrainage",
    "accompagnement-scolaire": "Accompagnement scolaire",
    "soutien-a-la-parentalite": "Soutien à la parentalité",
    "repit-garde-ponctuelle": "Répit, garde ponctuelle",
    "activites-et-lien-social": "Activités et lien social",
    "acces-aux-droits": "Accès aux droits",
    "ecoute": "Écoute",
}
ASSOCIATIONS = NAMES  # the network's associations (contracts' shared reference)
LANGUAGES = {
    "fr": "français", "ar": "arabe", "en": "anglais", "es": "espagnol", "pt": "portugais",
    "ro": "roumain", "tr": "turc", "wo": "wolof", "bm": "bambara", "ln": "lingala",
    "ta": "tamoul", "zh": "chinois", "ru": "russe", "uk": "ukrainien", "fa": "persan",
    "ps": "pachto",
}  # fmt: skip
URGENCY = {"low": "faible", "medium": "moyenne", "high": "élevée", "critical": "critique"}
UNFIT = {
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
DECLINE_REASONS = {
    "volunteer-unavailable": "Le bénévole n'est pas disponible",
    "too-far": "Trop loin en pratique",
    "not-suitable": "Profil ne correspondant pas",
    "family-unreachable": "Famille injoignable",
    "other": "Autre raison",
}
PARTS = {
    "distance": "Proximité",
    "slots": "Créneaux communs",
    "language": "Langue",
    "continuity": "Association connue",
    "load": "Places libres",
}
STATES = {
    "proposed": "Proposée",
    "accepted": "Acceptée",
    "declined": "Déclinée",
    "expired": "Expirée",
    "started": "Commencée",
    "closed": "Close",
}
OUTCOMES = {
    "completed": "Accompagnement mené à son terme",
    "ended-by-family": "Arrêt à la demande de la famille",
    "ended-by-volunteer": "Arrêt à la demande du bénévole",
    "ended-by-association": "Arrêt décidé par l'association",
    "no-contact": "Plus de nouvelles",
}
CHECK_INS = {"1-month": "Suivi à un mois", "3-month": "Suivi à trois mois", "other": "Autre point"}
# what the coordinators' queue (/suivis, « À faire aujourd'hui ») asks for
DUE = {
    "1-month": "Suivi à un mois",
    "3-month": "Suivi à trois mois",
    "rupture": "Six semaines sans contact : appeler la famille",
}
