"""French words only the officer's pages use (case kinds, statuses, decisions, the form's
errors, the journal's actions and sentences). The shared vocabularies' labels (subject
kinds, erasure reasons...) come from `entraide.contracts.labels`."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from entraide.contracts import labels as shared
from entraide.kit import formats
from entraide.privacy.domain.cases import Destroyed

KINDS = {
    "erasure": "Effacement",
    "access": "Accès (export)",
    "rectification": "Rectification",
    "objection": "Opposition / retrait du consentement",
}
STATUSES = {"open": "En cours", "escalated": "Relancé — en alerte", "closed": "Clos"}
SUBJECT_PLURALS = {"family": ("famille", "familles"), "volunteer": ("bénévole", "bénévoles")}
DECISIONS = {
    "done": "Fait par le service responsable",
    "refused": "Refusé (motif consigné hors outil)",
    "not-applicable": "Sans objet",
}
# what the officer may decide on a rectification still waiting for its correction
WITHOUT_CORRECTION = {k: DECISIONS[k] for k in ("refused", "not-applicable")}
# the case form's errors, and the API's 422 for the same fields
FORM_ERRORS = {
    "kind": "Choisissez le type de demande.",
    "subject_ref": "La référence pseudonyme compte de 8 à 64 lettres, chiffres, - ou _.",
    "subject_kind": "Choisissez famille ou bénévole.",
}


def api_message(path: str, error_type: str) -> str | None:
    """The officer's API says the form's sentence for its fields."""
    return FORM_ERRORS.get(path)


SERVICES = {
    "intake": "Accueil des familles",
    "directory": "Annuaire",
    "matching": "Mise en relation",
    "privacy": "Protection des données",
    "observatory": "Observatoire",
}
ACTIONS = {
    "case-opened": "Dossier ouvert",
    "ack-received": "Réponse d'un service",
    "command-resent": "Commande renvoyée",
    "case-escalated": "Relance en alerte",
    "case-closed": "Dossier clos",
    "case-resolved": "Décision",
    "case-rectified": "Fiche rectifiée",
    "export-read": "Export consulté",
    "case-refused": "Ouverture refusée",
    "public-request-proved": "Demande de la personne, contact prouvé",
}
ROUTED = {
    "rectification": "La rectification se fait dans le service qui détient la donnée : "
    "pour une famille, sur sa fiche dans l'accueil des familles (bouton « Rectifier ») ; "
    "pour un ou une bénévole, sur sa fiche dans l'espace de son association (l'annuaire), "
    "où la demande est signalée.",
    "objection": "L'opposition ou le retrait du consentement s'enregistre sur la fiche de la "
    "famille (consentement à la mise en relation) : la mise en relation s'arrête alors. "
    "Un ou une bénévole est mis en pause : plus aucune famille ne lui est proposée, et son "
    "association le voit sur sa fiche.",
}


def refusal(reason: str, subject_kind: str, erased_at: datetime | None) -> str:
    """Why no case was opened for this reference, in French, for the officer."""
    if reason == "already-erased":
        when = f" le {formats.day(erased_at)}" if erased_at else ""
        return (
            f"Cette référence a déjà été effacée{when} : il ne reste aucune donnée à effacer, "
            "exporter ou rectifier. Aucun dossier n'a été ouvert."
        )
    if reason == "other-kind":
        asked = shared.in_sentence(shared.SUBJECT_KINDS.get(subject_kind, subject_kind))
        return (
            f"Cette référence ne désigne pas un ou une {asked} : vérifiez le type de personne "
            "concernée. Aucun dossier n'a été ouvert."
        )
    return (
        "Aucune famille ni aucun bénévole ne porte cette référence (sujet inconnu) : "
        "vérifiez-la, elle figure en entier sur la fiche de la famille ou du bénévole. "
        "Aucun dossier n'a été ouvert."
    )


# a case's kind inside the journal's « Dossier ouvert (…) » (no parentheses in parentheses)
OPENED_KINDS = {
    "erasure": "effacement",
    "access": "accès aux données",
    "rectification": "rectification",
    "objection": "opposition ou retrait du consentement",
}
# Why a case was opened (`ErasureReason`), as the journal's sentence says it after
# « Dossier ouvert (effacement), » (the reasons' own labels: `shared.ERASURE_REASONS`)
OPENED_BECAUSE = {
    "rights-request": "à la demande de la personne",
    "retention": "durée de conservation échue",
    "objection": "opposition de la personne",
}
REFUSALS = {
    "unknown-subject": "référence inconnue",
    "already-erased": "personne déjà effacée",
    "other-kind": "la référence désigne un autre type de personne",
}
EXPORT_FORMS = {"json": "téléchargé (JSON)", "html": "lu en page"}
# what a service's acknowledgement counts (its collections), singular and plural
COUNTED = {
    "families": ("fiche de famille", "fiches de famille"),
    "requests": ("demande", "demandes"),
    "contacts": ("contact noté", "contacts notés"),
    "keys": ("clé de chiffrement", "clés de chiffrement"),
    "subjects": ("inscription au registre", "inscriptions au registre"),
    "notices": ("avertissement", "avertissements"),
    "notifications": ("message envoyé ou en attente", "messages envoyés ou en attente"),
    "volunteers": ("fiche de bénévole", "fiches de bénévole"),
    "offers": ("action", "actions"),
    "matches": ("mise en relation", "mises en relation"),
    "followups": ("suivi", "suivis"),
    "histories": ("historique", "historiques"),
    "waitlist": ("inscription en liste d'attente", "inscriptions en liste d'attente"),
    "requests_view": ("demande", "demandes"),
    "places": ("place réservée", "places réservées"),
    # the observatory's transient state (its anonymous facts name no one)
    "episodes": ("demande suivie", "demandes suivies"),
    "suppliers": ("disponibilité de bénévole", "disponibilités de bénévole"),
    "parked": ("événement mis de côté", "événements mis de côté"),
    "applicants": ("candidature de bénévole", "candidatures de bénévole"),
    "own_requests": ("demande faite en ligne", "demandes faites en ligne"),
    "volunteer_links": ("lien de connexion", "liens de connexion"),
    "volunteer_lookups": ("empreinte d'adresse e-mail", "empreintes d'adresse e-mail"),
    # what an access part holds beyond its collections (intake's, directory's, privacy's)
    "family": ("fiche de famille", "fiches de famille"),
    "record_reads": ("consultation de la fiche", "consultations de la fiche"),
    "identity": ("identité", "identités"),
    "subject": ("inscription au registre", "inscriptions au registre"),
    "cases": ("demande d'exercice des droits", "demandes d'exercice des droits"),
    "volunteer": ("fiche de bénévole", "fiches de bénévole"),
    "messages": ("message envoyé ou en attente", "messages envoyés ou en attente"),
    "leaving": (
        "demande d'effacement en quittant le réseau",
        "demandes d'effacement en quittant le réseau",
    ),
}
# the counted words that are masculine: none of them reads « aucun contact noté », the
# others « aucune demande » (« 0 contact noté » is no French)
MASCULINE = {"contacts", "notices", "notifications", "followups", "histories", "parked",
             "volunteer_links", "messages"}  # fmt: skip
# what a service did for each kind of case, and what it says when it had nothing to do
DONE = {
    "erasure": ("effacé", "rien à effacer"),
    "access": ("exporté", "rien à exporter"),
    "rectification": ("signalé à l'équipe pour rectification", "aucune fiche à signaler"),
    "objection": ("accord pour la mise en relation retiré", "rien à changer"),
}
ACTORS = {
    "retention-sweep": "Balayage de conservation (automatique)",
    "privacy": "Protection des données (automatique)",
    "personne": "La personne (formulaire public « Vos droits »)",
}


def actor(name: str) -> str:
    """Who wrote a journal entry: a service, the sweep, or (a signed-in person) the DPO."""
    if name in ACTORS:
        return ACTORS[name]
    if name in SERVICES:
        return SERVICES[name]
    return "Délégué à la protection des données"  # only the DPO's role acts on cases


def counted(counts: dict[str, int]) -> str:
    """`1 fiche de famille, 2 demandes` (nothing: an empty text)."""
    parts = []
    for key, n in counts.items():
        one, many = COUNTED.get(key, ("autre élément", "autres éléments"))
        parts.append(formats.count(n, one, many) if n else f"{_none(key)} {one}")
    return ", ".join(parts)


def _none(key: str) -> str:
    """`aucun` or `aucune`, as the counted word takes it (an unknown one is an `élément`)."""
    return "aucun" if key in MASCULINE or key not in COUNTED else "aucune"


# a rectification closed « done » on its owner's flag, before cases followed the correction
# itself (those closed then stay so): its staff correct the record with the person
DONE_BY_KIND = {
    "rectification": "Transmise à l'équipe qui tient la fiche, signalée sur la fiche : "
    "l'équipe la rectifie avec la personne"
}
# how privacy closes a routed case itself: on its owner's answers, or after the erasure
CLOSED_BY_PRIVACY = {
    "no-record": "Aucune fiche à rectifier : "
    "le service qui tient les données n'en a pas pour cette personne",
    "subject-erased": "Sans suite, les données de la personne ayant été effacées depuis "
    "(dossier d'effacement clos)",
}

ERASED = (
    "Close sans rectification{when} : la demande faite en ligne a été refusée par l'équipe "
    "avant d'être confirmée, et les coordonnées à corriger effacées"
)


def decision(kind: str, decided: str, rectified_at: datetime | str | None = None) -> str:
    """How a closed case was decided, in words true for its kind (`rectified_at`: when the
    owner's staff corrected the record)."""
    when = f" le {formats.long_day(rectified_at)}" if rectified_at else ""
    if decided == "rectified":
        return f"Rectifiée{when} par l'équipe qui tient la fiche"
    if decided == "erased":
        return ERASED.format(when=when)
    if decided == "done" and kind in DONE_BY_KIND:
        return DONE_BY_KIND[kind]
    return DECISIONS.get(decided) or CLOSED_BY_PRIVACY.get(decided, decided)


def state(case: dict[str, Any]) -> str:
    """A case's state as the officer reads it (`views.case_view`): a rectification
    flagged on the record says since when it waits for the correction."""
    if case.get("awaiting_correction"):
        flagged = [a["at"] for a in case["acks"].values() if a["counts"]]
        since = f" le {formats.long_day(min(flagged))}" if flagged else ""
        return f"Signalée sur la fiche{since}, en attente de la correction"
    return STATUSES.get(str(case["status"]), str(case["status"]))


def outcome(kind: str | None, counts: dict[str, int]) -> str:
    """What a service answered, worded by the case's kind: `effacé (1 fiche de famille)`,
    `exporté (2 mises en relation)`, `rien à exporter` (nothing in its part)..."""
    done, nothing = DONE.get(kind or "", ("traité", "rien à faire"))
    what = counted(counts)
    return f"{done} ({what})" if what else nothing


def services(names: Sequence[str]) -> str:
    return ", ".join(SERVICES.get(s, s) for s in names) or "aucun service"


def sentence(entry: dict[str, Any], case_kind: str | None = None) -> str:
    """A journal entry as one French sentence (what happened, with its details); a
    service's answer is worded by the kind of its case (`case_kind`)."""
    action, kind = entry.get("action", ""), entry.get("kind")
    if action == "case-opened":
        why = OPENED_BECAUSE.get(entry.get("reason", ""), "")
        what = OPENED_KINDS.get(kind, "") if kind else ""
        return "Dossier ouvert" + (f" ({what})" if what else "") + (f", {why}" if why else "") + "."
    if action == "ack-received":
        done = outcome(case_kind, entry.get("counts") or {})
        return f"{SERVICES.get(entry.get('service', ''), 'Un service')} a répondu : {done}."
    if action == "case-closed":
        # only an erasure destroys a key (privacy's answer first, the closing what is left)
        keys = entry.get("keys_destroyed") if case_kind == "erasure" else None
        if keys:
            return "Dossier clos ; la clé de chiffrement de la personne est détruite."
        return "Dossier clos." if keys is None else "Dossier clos ; aucune clé restante à détruire."
    if action == "case-escalated":
        return f"Relance en alerte : toujours sans réponse de {services(entry.get('missing', []))}."
    if action == "command-resent":
        return f"Demande renvoyée à {services(entry.get('missing', []))}."
    if action == "case-rectified":
        who = SERVICES.get(entry.get("service", ""), "Le service responsable")
        if entry.get("outcome") == "erased":
            return f"{who} a répondu : demande faite en ligne refusée, coordonnées effacées."
        return f"{who} a répondu : fiche rectifiée par l'équipe qui la tient."
    if action == "case-resolved":
        code = entry.get("decision", "")
        decided = DECISIONS.get(code) or CLOSED_BY_PRIVACY.get(code, "décision enregistrée")
        return f"Dossier clos : {decided[0].lower()}{decided[1:]}."
    if action == "export-read":
        return f"Export {EXPORT_FORMS.get(entry.get('form', ''), 'consulté')}."
    if action == "public-request-proved":
        how = "un SMS" if entry.get("channel") == "sms" else "un courriel"
        return f"Demande de la personne : contact prouvé par un code reçu par {how}."
    if action == "case-refused":
        why = REFUSALS.get(entry.get("reason", ""), "")
        return "Ouverture refusée" + (f" : {why}" if why else "") + "."
    return ACTIONS.get(action, "Action enregistrée") + "."


def destroyed(gone: Destroyed) -> str:
    """Why an access case's export can no longer be read, for the officer: « L'export a été
    détruit avec l'effacement des données de la personne, clos le 01/12/2026 (à la demande
    de la personne) : … »."""
    erasure, how = gone.erasure, ""
    if erasure is not None:
        when = f", clos le {formats.day(erasure.closed_at)}" if erasure.closed_at else ", en cours"
        why = OPENED_BECAUSE.get(erasure.reason.value, "")
        how = when + (f" ({why})" if why else "")
    return (
        f"L'export a été détruit avec l'effacement des données de la personne{how} : il ne "
        "peut plus être lu ni téléchargé, et le réseau n'en garde rien."
    )
