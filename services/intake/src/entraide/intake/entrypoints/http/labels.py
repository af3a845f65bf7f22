"""The words of intake's pages: the shared vocabularies' labels (`entraide.contracts.labels`,
re-exported here for the templates, never copied) and the words only these pages use.

Mid-sentence labels go through `in_sentence` (« en liste d'attente : personne à distance
raisonnable »).
"""

from entraide.contracts.associations import NAMES
from entraide.contracts.labels import (
    CONTACT_CHANNELS,
    DECLINE_REASONS,
    LANGUAGES,
    MATCH_OUTCOMES,
    NEEDS,
    SLOTS,
    URGENCY,
    WAITLIST_REASONS,
    WITHDRAWAL_REASONS,
    in_sentence,
)
from entraide.contracts.vocab import WRITTEN_LANGUAGES, WithdrawalReason
from entraide.intake.domain.requests import Sign
from entraide.kit import formats
from entraide.kit.principal import ROLE_LABELS

__all__ = [
    "CONTACT_CHANNELS",
    "DECLINE_REASONS",
    "LANGUAGES",
    "MATCH_OUTCOMES",
    "NEEDS",
    "SLOTS",
    "URGENCY",
    "WAITLIST_REASONS",
    "WITHDRAWAL_REASONS",
    "in_sentence",
]

SIGNS = {
    Sign.EPUISEMENT: "Le parent dit être épuisé",
    Sign.ISOLEMENT: "Isolement social",
    Sign.SANS_RELAIS: "Aucun relais familial ou amical",
    Sign.SANTE: "Problème de santé (parent ou enfant)",
    Sign.TOUT_PETITS: "Enfant de moins de 3 ans",
    Sign.RUPTURE: "Rupture récente (séparation, déménagement, emploi)",
    Sign.CRISE: "Situation de crise : besoin immédiat",
}
# the door's language a parent wrote in (contracts.vocab.WRITTEN_LANGUAGES), as staff read
# it mid-sentence (« Langue de la demande : roumain »): call back in it if they can
DOOR_LANGUAGES = {"falc": "français facile à lire"} | {
    code: in_sentence(LANGUAGES[code]) for code in WRITTEN_LANGUAGES if code in LANGUAGES
}
CONTACT_PREFERENCES = {"phone": "Téléphone", "sms": "SMS", "email": "E-mail", "post": "Courrier"}
# what staff may choose when they withdraw a request (an erasure is privacy's, not theirs)
WITHDRAWAL_CHOICES = {
    reason: label
    for reason, label in WITHDRAWAL_REASONS.items()
    if reason != WithdrawalReason.ERASURE
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
    "closed": "Mise en relation terminée",
}
ORIENTATION_BADGE = {
    "proposed": "new",
    "accepted": "success",
    "started": "success",
    "waitlisted": "warning",
    "closed": "info",
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
