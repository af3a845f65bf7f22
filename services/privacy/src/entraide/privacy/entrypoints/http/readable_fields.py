"""The words a value of the access copy takes from its field or from the part it sits in
(`readable.py` applies them): how a request reached the network (the contracts'
`RequestChannel`), a volunteer's application and check, a message's subject and sending,
why a request from the door was not kept; a field a part names its own way (a contact's
`channel` is how staff reached the family, not how a request arrived); the days staff
typed, read as days, known by their key (a moment of any other field keeps its time, even
at midnight or noon UTC: a real event can fall on it); a French phone number in pairs,
as it is said. The labels take their value without a preposition (« Origine de la demande :
la famille »), so that no language has to contract one with an article. Only the HTML
copy: the JSON file keeps every value as held."""

from collections.abc import Mapping
from typing import Any

from entraide.contracts.vocab import RequestChannel
from entraide.kit.i18n import N_
from entraide.privacy.entrypoints.http import readable_others as others

# how a request reached intake (`channel`), as intake's, matching's and the observatory's
# copies say it
CHANNELS = {
    RequestChannel.STAFF_FORM.value: N_("l'équipe de l'association (formulaire)"),
    RequestChannel.STAFF_API.value: N_("l'équipe de l'association (son logiciel)"),
    RequestChannel.PARTNER.value: N_("un organisme partenaire du réseau"),
    RequestChannel.FAMILY.value: others.NOT_STAFF["la famille (formulaire public)"],
}
# why staff did not keep a request from the family's door
REFUSALS = {
    "unreachable": "personne injoignable ou coordonnées fausses",
    "not-a-request": "pas une demande d'aide", "out-of-reach": "hors du territoire du réseau",
}  # fmt: skip
# a volunteer's application, in the words of their space (directory's `status_words`)
APPLICATION = {
    "applied": "reçue", "in-review": "en cours d'examen", "approved": "acceptée",
    "declined": "non retenue", "paused": "en pause", "left": "retirée",
}  # fmt: skip
# their honorability check: as directory holds it, then as the observatory hears of it
HONORABILITY = {
    "not-requested": "pas encore demandée", "requested": "demandée, pas encore reçue",
    "cleared": "validée", "refused": "refusée", "none": "pas demandée",
    "pending": "demandée, pas encore validée", "valid": "valable", "expired": "expirée",
}  # fmt: skip
# a message the network sent: what it said (its subject), and whether it went
TEMPLATES = {
    "candidature-benevole": "où en est votre candidature de bénévole",
    "proposition-benevole": "une famille pourrait avoir besoin de vous",
    "lien-connexion": "votre lien pour entrer dans votre espace bénévole",
    "demande-recue": "votre demande d'aide est bien reçue",
    "demande-suite": "une association va prendre contact avec vous", "code-contact": "votre code",
    "droits-export": "votre copie de vos données est prête",
    "conservation-mois": "vos informations seront effacées dans un mois",
    "conservation-semaine": "vos informations seront effacées dans une semaine",
    "conservation-benevole-mois": "vos informations de bénévole seront effacées dans un mois",
    "conservation-benevole-semaine": "vos informations de bénévole seront effacées dans une "
    "semaine",
    "demande-non-retenue": "votre demande d'aide n'a pas pu être retenue",
    "accompagnement-interrompu": "la personne qui vous accompagnait n'est plus disponible",
    "droits-reponse": "la réponse à votre demande de rectification ou à votre opposition",
    "droits-effacement": "vos données ont été effacées",
}  # fmt: skip
SENDING = {"pending": "pas encore envoyé", "sent": "envoyé", "failed": "non envoyé"}
# a field a part names its own way, (the part, the field): the role it is read by
ROLES = {
    ("contacts", "channel"): "contact_channel",
    ("contacts", "day"): "contact_at",  # intake keeps a contact's day as typed
    ("contacts", "at"): "contact_at",  # ... which it kept as a moment before
    ("waitlist", "reason"): "waitlist_reason",  # matching's why it waits, not why declined
}
# the labels of those roles, and of the fields only these rules know (matching keeps the
# day of the family's latest logged contact: `logged_at`; intake, when staff noted a
# contact: `noted_at`; matching, when and why a proposal was declined, when it expired)
LABELS = {
    "contact_channel": N_("Moyen de contact"),
    "contact_at": N_("Le"),
    "noted_at": N_("Noté dans la fiche le"),
    "logged_at": N_("Dernier contact noté le"),
    "declined_at": N_("Déclinée le"),
    "decline_reason": N_("Motif du refus de la proposition"),
    "expired_at": N_("Expirée le"),
}
# the day of a contact, as staff typed it, and its copies (the family's latest contact:
# a moment for the retention clock, counted from a day)
DAYS = {"contact_at", "logged_at", "last_contact_at", "match_contact_at"}
PHONES = {"phone", "telephone"}


def role(part: str, key: str, row: Mapping[str, Any] | None = None) -> str:
    """The key a field is read by in its part (its own, mostly); a step of intake's
    orientation history gives its `reason` by its state (waitlisted: why it waits; the
    decline's « Trop loin en pratique » read for matching's « too-far » rule)."""
    if key == "reason" and row is not None and row.get("state") == "waitlisted":
        return "waitlist_reason"
    return ROLES.get((part, key), key)


def day_only(key: str) -> bool:
    """Whether a moment reads as its day (in Paris) rather than with a time."""
    return key in DAYS
