"""The access export as the person reads it (`export.html`): names for the fields, days and
Paris times, yes or no, the network's words for its vocabularies, references as references.
In French on the DPO's page; on the public page in the person's language, the words through
the page's catalogs (`locales/words.txt` lists them for `make i18n`), numbers and months its
way. The JSON export keeps every part as the services hold it."""

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from entraide.contracts import labels as shared
from entraide.contracts.associations import NAMES
from entraide.kit import formats
from entraide.kit.i18n import N_
from entraide.privacy.entrypoints.http import readable_fields as fields
from entraide.privacy.entrypoints.http import readable_others as others

FIELDS = {
    "family": "Fiche de la famille", "identity": "Identité", "parent": "Parent",
    "first_name": "Prénom", "last_name": "Nom", "phone": "Téléphone", "email": "E-mail",
    "commune": "Commune", "postal_code": "Code postal", "departement": "Département",
    "contact_preferences": "Préfère être joint par", "contact_channels": "Moyens de contact",
    "children_birth_years": "Années de naissance des enfants",
    "children_age_bands": "Âges des enfants", "languages": "Langues",
    "consent": "Accord du parent", "matching": "Orientation vers un accompagnement",
    "sharing": "Partage avec une autre association", "collected_by": "Qui l'a recueilli",
    "collected_at": "Recueilli le", "consent_to_matching": "Accord pour l'orientation",
    "created_at": "Enregistrée le", "last_contact_at": "Dernier contact",
    "first_seen_at": "Premier contact", "requests": "Demandes", "status": "État",
    "revision": "Version", "needs": "Besoins", "availability": "Disponibilités",
    "day": "Jour", "part": "Moment", "signs": "Signes observés", "urgency": "Urgence",
    "notes": "Notes", "association_id": "Association", "channel": "Origine de la demande",
    "submitted_at": "Demande du", "recorded_by": "Compte qui l'a enregistrée",
    "updated_at": "Modifiée le", "withdrawn_at": "Retirée le",
    "withdrawal_reason": "Motif du retrait", "contacts": "Contacts", "at": "Le",
    "by": "Compte", "by_name": "Par", "note": "Note",
    "possible_duplicates": "Doublons possibles", "shared_with": "Partagée avec",
    "orientation": "Historique de l'orientation", "state": "Étape", "reason": "Motif",
    "outcome": "Issue", "support": "Proposée à", "rectifications": "Rectifications demandées", "objections": "Oppositions reçues",
    "record_reads": "Consultations de la fiche", "actor": "Compte", "role": "Rôle",
    "actor_name": "Nom de la personne", "action": "Action", "via": "Depuis", "followups": "Suivis", "matches": "Mises en relation",
    "support_key": "Bénévole ou action", "accepted_at": "Acceptée le",
    "started_at": "Commencée le", "closed_at": "Close le", "match_contact_at": "Dernier contact de la mise en relation (acceptation, début ou suivi noté)",
    "check_ins": "Suivis notés", "items": "Échéances", "kind": "Nature", "on": "Pour le",
    "next_on": "Prochaine échéance", "computed_at": "Calculée le", "score": "Score",
    "breakdown": "Détail du score", "distance": "Proximité", "slots": "Créneaux communs",
    "language": "Langue", "continuity": "Association connue", "load": "Places libres",
    "fit": "Adéquation", "priority": "Priorité", "reasons": "Raisons",
    "distance_km": "Distance (km)", "proposed_by": "Origine de la proposition",
    "proposed_at": "Proposée le",
    "expires_at": "Expire le", "subject": "Registre de conservation", "warned": "Prévenue",
    "notices": "Avertissements", "due_at": "À envoyer le", "sent_at": "Envoyé le",
    "expires": "Effacement prévu le", "volunteer": "Fiche de bénévole",
    "code_postal": "Code postal", "capacity": "Familles au plus",
    "honorability": "Attestation d'honorabilité",
    "honorability_valid_until": "Attestation valable jusqu'au", "prenom": "Prénom",
    "nom": "Nom", "courriel": "E-mail", "telephone": "Téléphone",
    "declined": "Propositions déclinées", "waitlist": "Liste d'attente", "since": "Depuis le",
    "histories": "Historique",
    "id": "Identifiant", "_id": "Identifiant", "family_ref": "Référence de la famille",
    "volunteer_ref": "Référence du bénévole", "subject_ref": "Référence",
    "subject_kind": "Personne concernée", "request_id": "Numéro de demande",
    "event_id": "Numéro d'événement", "match_id": "Numéro de mise en relation",
    "family_id": "Identifiant de la fiche", "case_id": "Numéro de dossier",
    "open_request": "Demande en cours", "last_event_id": "Dernier événement reçu",
    "consent_at": "Accord recueilli le", "cases": "Demandes d'exercice des droits",
    "opened_at": "Ouverte le", "deadline": "Échéance légale", "decision": "Décision",
    "sends": "Envois", "last_sent_at": "Dernier envoi", "erased_at": "Effacée le",
    # the observatory's open episodes and volunteers' states
    "association": "Association", "situations": "Signes observés",
    "waitlisted_at": "En attente depuis le", "waitlist_reason": "Motif de l'attente",
    "seen": "Événements reçus", "departements": "Départements", "places": "Places",
    "active": "Disponible", "honorability_pending": "Attestation à renouveler",
    "months": "Mois comptés", "approval_counted": "Accord compté", "key": "Référence",
    "episodes": "Demandes suivies par l'observatoire",
    "suppliers": "Bénévoles suivis par l'observatoire", "parked": "Événements mis de côté",
    "applicants": "Candidatures suivies par l'observatoire",
    "counted_through": "Fins de mois comptées jusqu'à", "decline_counted": "Refus compté",
    "written_language": "Langue des messages", "skills": "Savoir-faire",
    "waiting_since": "En attente depuis le",
    # what the family sent from its own door (intake's queue for staff)
    "own_requests": "Demandes envoyées par la famille", "offer_id": "Action choisie",
    "stage": "Étape de la demande", "callback_times": "Moments pour rappeler",
    "message": "Message", "consent_sharing": "Accord pour le partage",
    "decided_at": "Décidée le", "decided_by": "Compte qui l'a décidée",
    "refusal": "Motif du refus",
    # a volunteer's part at directory: their record, the messages sent to them, their wish
    # to leave (directory names a message's `channel` `medium`, a record's `status`
    # `application`: `channel` and `status` mean other things in other parts)
    "application": "Candidature", "applied_at": "Candidature envoyée le",
    "approved_at": "Candidature acceptée le",
    "active_families": "Familles accompagnées en ce moment", "changed_at": "Mise à jour le",
    "volunteers": "Disponibilités connues de la mise en relation", "taken": "Places prises",
    "canal": "Reçoit les messages par", "messages": "Messages du réseau", "template": "Objet",
    "medium": "Envoyé par", "recipient_ref": "Référence du destinataire",
    "attempts": "Essais d'envoi", "failed_at": "Envoi abandonné le",
    "leaving": "Demande d'effacement en quittant le réseau", "asked_at": "Demandée le",
    "answered": "Reçue par le délégué à la protection des données",
} | fields.LABELS  # fmt: skip
REFERENCES = {"family_ref", "case_id", "subject_ref", "volunteer_ref", "recipient_ref"}
# the shared vocabularies as a sentence reads them (needs stay capitalised), then the
# export's own words (a family's contact channel `phone` reads « téléphone »); the
# associations' names (NAMES) are names, in no catalog
SHARED = {
    str(value): shared.in_sentence(label)
    for vocabulary in (
        shared.URGENCY,
        shared.DAY_PARTS,
        shared.LANGUAGES,
        shared.CONTACT_CHANNELS,
        shared.MATCH_OUTCOMES,
    )
    for value, label in vocabulary.items()
} | {str(value): label for value, label in shared.NEEDS.items()}
WORDS = SHARED | {
    "submitted": "enregistrée", "withdrawn": "retirée", "open": "ouverte",
    "matched": "orientée", "proposed": "proposée", "accepted": "acceptée",
    "declined": "déclinée", "expired": "expirée", "started": "commencée", "closed": "close",
    "waitlisted": "en liste d'attente", "volunteer": "un ou une bénévole",
    "offer": "une action", "family": "famille", "online": "le calcul immédiat", "batch": "le calcul d'ensemble", "system": "automatique",
    "staff": "Équipe", "coordinator": "Coordination de l'association",
    "network-coordinator": "Coordination du réseau",
    "dpo": "Délégué à la protection des données", "rupture": "six semaines sans contact",
    "1-month": "suivi à un mois", "3-month": "suivi à trois mois", "phone": "téléphone",
    "epuisement-declare": "le parent dit être épuisé", "isolement-social": "isolement social",
    "aucun-relais-familial": "aucun relais familial ou amical",
    "probleme-de-sante": "problème de santé",
    "enfant-de-moins-de-3-ans": "enfant de moins de 3 ans",
    "rupture-recente": "rupture récente", "situation-de-crise": "situation de crise",
    "family.read": "consultation", "family.search": "recherche", "family.create": "création",
    "request.rectify": "rectification", "request.withdraw": "retrait",
    "family.contact": "contact noté", "family.consent": "accord du parent modifié",
    "family.share": "fiche ouverte à l'association de la mise en relation",
    "family.unshare": "fiche refermée",
    "family.share-refused": "fiche non partagée (sans accord)",
    "family.share-override": "fiche ouverte sans accord, par autorisation",
    "pending": "en cours", "in-review": "en cours d'examen", "approved": "approuvé",
    "cleared": "validée", "missing": "manquante", "access": "accès", "erasure": "effacement",
    "rectification": "rectification", "objection": "opposition", "escalated": "relancée",
    "applied": "candidature reçue", "paused": "en pause", "left": "a quitté le réseau",
    "no-consent": "sans accord du parent pour l'orientation",
}  # fmt: skip
# the days of the week are `mo`...`su` where a slot says them, `fr` is French elsewhere
DAYS = {str(day): shared.in_sentence(label) for day, label in shared.DAYS.items()}
# why a family waits, why a proposal was declined: codes read by their field (`too-far`
# is both, in other words)
WAITING = dict(shared.WAITLIST_REASONS)
DECLINED = dict(shared.DECLINE_REASONS)
# children's ages as bands (`3-5`): « 3 à 5 ans »
AGES = dict(shared.AGE_BANDS)
# where a staff member opened or changed the record (intake's audit log)
VIA = {
    "page": "les pages de l'équipe",
    "api": "le logiciel de l'association",
    "a-confirmer": "les demandes à confirmer",
}
# where a request from the family's door stands
STAGES = {
    "pending": "en attente de l'équipe", "confirmed": "confirmée",
    "merged": "jointe à la fiche de la famille", "refused": "non retenue",
}  # fmt: skip
BY_FIELD = {"waitlist_reason": WAITING, "reason": DECLINED, "decline_reason": DECLINED,
            "via": VIA, "stage": STAGES,
            "children_age_bands": AGES, "application": fields.APPLICATION,
            "honorability": fields.HONORABILITY, "template": fields.TEMPLATES,
            "outcome": fields.SENDING, "refusal": fields.REFUSALS,
            "channel": fields.CHANNELS}  # fmt: skip
MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
TOKEN = re.compile(r"^(dev-|event:|volunteer:|offer:)?[A-Za-z0-9_-]{8,}$")


YES, NO = N_("oui"), N_("non")
# a support as matching names it (`offer:<id>`, `volunteer:<ref>`): « une action », « un ou
# une bénévole » (its association beside it), not a code the person has no use for
SUPPORT_KEYS = {"support_key"}


def _as_is(text: str) -> str:
    return text


@dataclass(frozen=True)
class Reader:
    """The language an export reads in: its words' translation (the page's translator) and
    Babel's locale for its numbers and months. French as it is by default: the DPO's page."""

    translate: Callable[[str], str] = _as_is
    locale: str = formats.LOCALE

    def when(self, moment: str) -> str:
        """`29/11/2026 à 19 h 04` in French, `29/11/2026 19:04` elsewhere (Paris time)."""
        if self.locale == formats.LOCALE:
            return formats.when(moment)
        return formats.day_and_clock(moment)


FRENCH = Reader()


def document(export: dict[str, Any], reader: Reader = FRENCH) -> dict[str, Any]:
    """The export as `export.html` shows it: each service's part readable, and the long day
    it was made on (`generated_on`)."""
    parts = {name: readable(part, reader=reader) for name, part in export["services"].items()}
    made = formats.long_day(export["generated_at"], reader.locale)
    return export | {"services": parts, "generated_on": made}


def readable(value: Any, key: str = "", reader: Reader = FRENCH) -> Any:
    """A part of the export with names and values in words (mappings stay mappings)."""
    if isinstance(value, dict):
        french = reader.locale == formats.LOCALE
        kept = {k: v for k, v in value.items() if others.shown(k, french)}
        roles = {k: fields.role(key, k, kept) for k in kept}
        shown = {_field(roles[k], reader): readable(v, roles[k], reader) for k, v in kept.items()}
        if (role := str(kept.get("role") or "")) in others.BY_ROLE:  # who the account was
            for k in others.ACCOUNTS & kept.keys():
                if kept[k]:
                    shown[_field(k, reader)] = reader.translate(others.account(kept[k], role))
        if kept.get("offer_id"):  # its title is directory's: whose action it is, in words
            shown[_field("offer_id", reader)] = others.chosen(kept, reader.translate, french)
        return shown
    if isinstance(value, list):
        if not value and key in others.EMPTY:  # the staff's record's word, not « rien »
            return reader.translate(others.EMPTY[key])
        return [readable(v, key, reader) for v in value]
    return _scalar(value, key, reader)


def _field(key: str, reader: Reader) -> str:
    return reader.translate(FIELDS[key]) if key in FIELDS else key.replace("_", " ")


def _scalar(value: Any, key: str, reader: Reader) -> Any:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return reader.translate(YES if value else NO)
    if isinstance(value, float):
        return formats.decimal(value, 2, reader.locale)
    if isinstance(value, int):
        if "year" in key:
            return str(value)
        return formats.number(value, reader.locale)
    text = str(value)
    if key in fields.PHONES:
        return formats.phone(text)
    if MOMENT.match(text):
        return formats.day(text) if fields.day_only(key) else reader.when(text)
    if DAY.match(text):
        return formats.day(text)
    if key == "day":
        return reader.translate(DAYS[text]) if text in DAYS else text
    if key in others.ACCOUNTS:
        return reader.translate(others.account(text))
    if key in others.SHORT:
        return formats.reference(text)  # as every staff page shows it
    if key in others.PLACES:
        return others.place(text)
    if key == "notes":
        return others.notes(text, reader.translate, reader.locale == formats.LOCALE)
    if key == "via" and text.startswith("event:"):
        return reader.translate(others.BY_AN_EVENT)
    kind, colon, _ = text.partition(":")
    if key in SUPPORT_KEYS and colon and kind in WORDS:
        return reader.translate(WORDS[kind])
    if text in BY_FIELD.get(key, {}):
        return reader.translate(BY_FIELD[key][text])
    if text in WORDS:
        return reader.translate(WORDS[text])
    if text in NAMES:
        return NAMES[text]
    if key in REFERENCES or _is_reference(text):
        return Markup('<code class="reference">{}</code>').format(text)
    return text


def _is_reference(text: str) -> bool:
    """A prefixed reference (`volunteer:…`) whatever its characters; a bare token only with
    a digit, so that a word is never taken for one (one random reference in forty has none)."""
    token = TOKEN.match(text)
    return token is not None and (token.group(1) is not None or any(c.isdigit() for c in text))
