"""French labels of the officer's pages."""

from datetime import datetime

KINDS = {
    "erasure": "Effacement",
    "access": "Accès (export)",
    "rectification": "Rectification",
    "objection": "Opposition / retrait du consentement",
}
STATUSES = {"open": "En cours", "escalated": "Relancé — en alerte", "closed": "Clos"}
SUBJECT_KINDS = {"family": "Famille", "volunteer": "Bénévole"}
DECISIONS = {
    "done": "Fait par le service responsable",
    "refused": "Refusé (motif consigné hors outil)",
    "not-applicable": "Sans objet",
}
SERVICES = {
    "intake": "Accueil des familles",
    "directory": "Annuaire",
    "matching": "Mise en relation",
    "privacy": "Protection des données",
}
ACTIONS = {
    "case-opened": "Dossier ouvert",
    "ack-received": "Réponse d'un service",
    "command-resent": "Commande renvoyée",
    "case-escalated": "Relance en alerte",
    "case-closed": "Dossier clos",
    "case-resolved": "Décision",
    "export-read": "Export consulté",
    "case-refused": "Ouverture refusée",
}
ROUTED = {
    "rectification": "La rectification se fait dans le service qui détient la donnée : "
    "pour une famille, sur sa fiche dans l'accueil des familles (bouton « Rectifier »).",
    "objection": "L'opposition ou le retrait du consentement s'enregistre sur la fiche de la "
    "famille (consentement à la mise en relation) : la mise en relation s'arrête alors.",
}


def refusal(reason: str, subject_kind: str, erased_at: datetime | None) -> str:
    """Why no case was opened for this reference, in French, for the officer."""
    if reason == "already-erased":
        when = f" le {erased_at:%d/%m/%Y}" if erased_at else ""
        return (
            f"Cette référence a déjà été effacée{when} : il ne reste rien à effacer ni à "
            "exporter. Aucun dossier n'a été ouvert."
        )
    if reason == "other-kind":
        asked = SUBJECT_KINDS.get(subject_kind, subject_kind).lower()
        return (
            f"Cette référence ne désigne pas un ou une {asked} : vérifiez le type de personne "
            "concernée. Aucun dossier n'a été ouvert."
        )
    return (
        "Aucune famille ni aucun bénévole ne porte cette référence (sujet inconnu) : "
        "vérifiez-la, elle figure en entier sur la fiche de la famille ou du bénévole. "
        "Aucun dossier n'a été ouvert."
    )
