"""French labels of the officer's pages."""

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
}
ROUTED = {
    "rectification": "La rectification se fait dans le service qui détient la donnée : "
    "pour une famille, sur sa fiche dans l'accueil des familles (bouton « Rectifier »).",
    "objection": "L'opposition ou le retrait du consentement s'enregistre sur la fiche de la "
    "famille (consentement à la mise en relation) : la mise en relation s'arrête alors.",
}
