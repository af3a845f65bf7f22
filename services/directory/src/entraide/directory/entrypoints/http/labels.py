"""The words directory's pages use: the shared vocabularies' labels (`entraide.contracts.labels`)
as these pages write them, and directory's own (a volunteer's honorability check, an offer's
freshness). A volunteer's status is worded in `domain.volunteers.status_words`."""

from entraide.contracts import labels

# search: a day by its index (Monday = 0), a need by its value
DAYS = [("", "Peu importe"), *[(str(i), day) for i, day in enumerate(labels.DAYS.values())]]
NEEDS = [("", "Tous les accompagnements"), *[(str(n), label) for n, label in labels.NEEDS.items()]]
# the volunteer's form and space: a box each, standing alone, written as intake writes them
# (« Lundi matin », « Français »); inside a sentence, `labels.in_sentence` lowers them
SLOTS = list(labels.SLOTS.items())
LANGUAGES = list(labels.LANGUAGES.items())

HONORABILITY_LABELS = {
    "not-requested": "Non demandée",
    "requested": "Demandée",
    "cleared": "Validée",
    "refused": "Refusée",
}
FRESHNESS_LABELS = {
    "fresh": "À jour",
    "reminder": "À confirmer",
    "hidden": "Masquée (trop ancienne)",
}
