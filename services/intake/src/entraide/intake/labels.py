"""The French words staff read for the network's vocabularies (forms and records)."""

from entraide.contracts.vocab import (
    ContactChannel,
    DayPart,
    Need,
    Urgency,
    Weekday,
    WithdrawalReason,
)
from entraide.intake.domain import Sign

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
    WithdrawalReason.OTHER: "Autre raison",
}
STATUS = {"submitted": "En attente d'orientation", "withdrawn": "Retirée"}
ROLES_AUDIT = {
    "family.read": "Consultation",
    "family.search": "Recherche",
    "family.create": "Création",
    "request.rectify": "Rectification",
    "request.withdraw": "Retrait",
    "family.contact": "Contact noté",
}
