"""The words of the observatory's pages (shared vocabularies come from the contracts)."""

from entraide.contracts import departements
from entraide.contracts import labels as shared
from entraide.contracts.associations import NAMES as ASSOCIATIONS
from entraide.kit import formats
from entraide.observatory.domain.facts import FactKind
from entraide.observatory.domain.indicators import Dimension, Indicator, Theme
from entraide.observatory.domain.protection import OTHER_TERRITORIES, TOTAL
from entraide.observatory.usecases.tables import Table

TERRITORIES = {
    **{code: departements.name(code) for code in departements.FIRST_TERRITORIES},
    OTHER_TERRITORIES: "Autres territoires",
    "reseau": "Tout le réseau",
    TOTAL: "Ensemble",
}
THEMES = {
    Theme.DEMAND: "Demandes",
    Theme.SUPPLY: "Offre d'accompagnement",
    Theme.FLOW: "Parcours",
    Theme.UNMET: "Besoins non couverts",
    Theme.OUTCOMES: "Issues des accompagnements",
    Theme.VOLUNTEERS: "Bénévoles",
    Theme.RETENTION: "Conservation des données",
}
TITLES = {
    "demande-besoin": "Demandes par besoin",
    "demande-urgence": "Demandes par urgence",
    "demande-signes": "Signes d'épuisement ou d'isolement",
    "demande-canal": "Demandes par canal",
    "demande-situations": "Demandes par signe d'épuisement ou d'isolement noté",
    "offre-places": "Places offertes par les actions des associations",
    "offre-benevoles": "Bénévoles disponibles par besoin",
    "couverture": "Couverture : places et bénévoles par demande",
    "delai-proposition": "Jours entre la demande et la première proposition",
    "delai-acceptation": "Jours entre la demande et l'acceptation",
    "delai-debut": "Jours entre la demande et le début de l'accompagnement",
    "refus-motif": "Propositions déclinées par motif",
    "propositions-expirees": "Propositions restées sans réponse",
    "attente-motif": "Familles mises en attente, par règle",
    "attente-duree": "Jours d'attente, par règle",
    "issues-fin": "Accompagnements terminés, par issue",
    "issues-duree": "Durée des accompagnements terminés (jours)",
    "suivis": "Suivis réalisés à temps",
    "benevoles-accordes": "Bénévoles agréés dans le mois, par besoin",
    "delai-accord": "Jours entre la candidature et l'accord de l'association",
    "benevoles-statut": "Bénévoles agréés : actifs ou en pause",
    "benevoles-honorabilite": "Contrôles d'honorabilité",
    "benevoles-parcours": "Candidatures de bénévoles : reçues, agréées, refusées ; "
    "actifs et contrôles d'honorabilité en attente en fin de mois",
    "benevoles-parcours-accord": "Jours entre la candidature et l'agrément (candidatures)",
    "effacements": "Personnes effacées, par motif",
}
DIMENSIONS = {
    Dimension.NEED: "Besoin",
    Dimension.SITUATION: "Signe noté",
    Dimension.URGENCY: "Urgence",
    Dimension.ASSOCIATION: "Association",
    Dimension.CHANNEL: "Canal",
    Dimension.SIGNS: "Signes",
    Dimension.REASON: "Motif",
    Dimension.OUTCOME: "Issue",
    Dimension.ON_TIME: "Suivi",
    Dimension.HONORABILITY: "Contrôle",
}
CHANNELS = {  # every RequestChannel (tests/unit/observatory/test_labels.py)
    "staff-form": "Équipe (formulaire)",
    "staff-api": "Équipe (logiciel)",
    "partner": "Partenaire",
    "family": "Famille elle-même (en ligne)",
}
SIGNS = {
    "aucun": "Aucun signe",
    "au-moins-un": "Au moins un signe",
    "plusieurs": "Épuisement sans relais ou crise",
}
SITUATIONS = {  # intake's words for the signs staff note with the parent
    "epuisement-declare": "Le parent dit être épuisé",
    "isolement-social": "Isolement social",
    "aucun-relais-familial": "Aucun relais familial ou amical",
    "probleme-de-sante": "Problème de santé (parent ou enfant)",
    "enfant-de-moins-de-3-ans": "Enfant de moins de 3 ans",
    "rupture-recente": "Rupture récente",
    "situation-de-crise": "Situation de crise",
}
ON_TIME = {"a-temps": "À temps", "en-retard": "En retard"}
HONORABILITY = {"valide": "Valide", "en-attente": "En attente ou expiré"}
STATUS = {"active": "Actifs", "paused": "En pause"}
STAGES = {  # the volunteers' funnel (`active` reads as STATUS's)
    "received": "Candidatures reçues",
    "approved": "Agréées",
    "declined": "Refusées",
    "check-pending": "Contrôle d'honorabilité en attente",
}
FOLLOW_UPS = {"1-month": "Suivi à un mois", "3-month": "Suivi à trois mois", "other": "Autre suivi"}
REASONS = shared.DECLINE_REASONS | shared.WAITLIST_REASONS | shared.ERASURE_REASONS
VALUES: dict[Dimension, dict[str, str]] = {
    Dimension.NEED: shared.NEEDS,
    Dimension.URGENCY: shared.URGENCY,
    Dimension.ASSOCIATION: ASSOCIATIONS,
    Dimension.CHANNEL: CHANNELS,
    Dimension.SIGNS: SIGNS,
    Dimension.SITUATION: SITUATIONS,
    Dimension.REASON: REASONS,
    Dimension.OUTCOME: shared.MATCH_OUTCOMES | STATUS | STAGES,
    Dimension.ON_TIME: ON_TIME,
    Dimension.HONORABILITY: HONORABILITY,
}
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
          "septembre", "octobre", "novembre", "décembre")  # fmt: skip


FAMILIES = "familles"
EVERYONE = "familles ou bénévoles"  # the monthly report counts both
COUNTED = {  # who an indicator's counts describe, when not families
    FactKind.VOLUNTEER: "bénévoles",
    FactKind.APPROVED: "bénévoles",
    FactKind.APPLICATION: "bénévoles",
    FactKind.ERASURE: "personnes",  # families and volunteers
}


def counted(indicator: Indicator) -> str:
    """Who an indicator's figures describe: its small-numbers note names them (a table of
    volunteers said « aucun ne décrit moins de 5 familles »)."""
    return COUNTED.get(indicator.kind, FAMILIES)


def hidden_note(threshold: int, who: str = FAMILIES) -> str:
    """What a « masqué » cell is, said once for the indicator pages, the monthly report and
    its PDF (the word in a cell qualifies the figure; the case hidden is « masquée »)."""
    return (
        f"Chiffres anonymes : aucun ne décrit moins de {formats.number(threshold)} {who} ; "
        "« masqué » signale une case trop petite, ou masquée pour qu'on ne puisse pas la "
        "retrouver par différence."
    )


def value(dimension: Dimension, code: str) -> str:
    """A column or filter value as people read it."""
    if code == TOTAL:
        return "Ensemble"
    if code == "":
        return "Non renseigné"
    return VALUES.get(dimension, {}).get(code, code)


def territory(code: str) -> str:
    return TERRITORIES.get(code, f"Département {code}")


NOT_YET = "mois en cours"  # a cell counted at the month's end, before it ends


def month_end_note(table: Table) -> str:
    """What a view including the month in progress says of the stages counted at a month's
    end (the funnel's active volunteers and pending checks); empty: nothing to say."""
    if not table.in_progress:
        return ""
    counted = "Les bénévoles actifs et les contrôles d'honorabilité en attente se comptent"
    when = month(table.in_progress)
    if any(table.cell(r, s).later for r in table.rows for s in table.indicator.at_month_end):
        return f"{counted} à la fin du mois : {when}, en cours, sera compté à sa fin."
    return f"{counted} à la fin de chaque mois : l'année additionne les mois finis, sans {when}, en cours."


def month(code: str) -> str:
    """`2026-03` as « mars 2026 »; `*` as the whole year."""
    if code == TOTAL:
        return "toute l'année"
    year, number = code.split("-")
    return f"{MONTHS[int(number) - 1]} {year}"
