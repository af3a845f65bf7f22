"""Directory's vocabularies: data·inclusion's where they overlap, the network's additions.

Values are data·inclusion's own slugs (thematiques, publics, frais, modes_accueil); what
the schema lacks is prefixed `entraide--` (thematiques) or listed under the network's
additions (publics), so an export never passes off our values as theirs.
"""

from entraide.contracts.vocab import Need

THEMATIQUES: dict[str, str] = {
    # data·inclusion
    "famille--soutien-a-la-parentalite-et-a-leducation": "Soutien à la parentalité et à l'éducation",
    "famille--garde-denfants": "Garde d'enfants",
    "famille--surmonter-conflits-separation-violence": "Surmonter un conflit, une séparation",
    "remobilisation--lien-social": "Lien social",
    # the network's additions
    "entraide--parrainage-de-proximite": "Parrainage de proximité",
    "entraide--grand-parrainage": "Grand-parrainage",
    "entraide--accompagnement-scolaire": "Accompagnement scolaire",
    "entraide--repit-parental": "Répit parental",
    "entraide--ecoute": "Écoute",
    "entraide--acces-aux-droits": "Accès aux droits",
}
DATA_INCLUSION_THEMATIQUES = frozenset(t for t in THEMATIQUES if not t.startswith("entraide--"))

# What each thématique answers among the needs families express (contracts' Need).
THEMATIQUE_NEEDS: dict[str, Need] = {
    "famille--soutien-a-la-parentalite-et-a-leducation": Need.SOUTIEN_PARENTALITE,
    "famille--garde-denfants": Need.REPIT_GARDE,
    "famille--surmonter-conflits-separation-violence": Need.ECOUTE,
    "remobilisation--lien-social": Need.ACTIVITES_LIEN_SOCIAL,
    "entraide--parrainage-de-proximite": Need.PARRAINAGE_PROXIMITE,
    "entraide--grand-parrainage": Need.GRAND_PARRAINAGE,
    "entraide--accompagnement-scolaire": Need.ACCOMPAGNEMENT_SCOLAIRE,
    "entraide--repit-parental": Need.REPIT_GARDE,
    "entraide--ecoute": Need.ECOUTE,
    "entraide--acces-aux-droits": Need.ACCES_AUX_DROITS,
}

PUBLICS: dict[str, str] = {
    "familles": "Familles",  # data·inclusion
    "femmes": "Femmes",
    "jeunes": "Jeunes",
    "tous-publics": "Tous publics",
    "familles-monoparentales": "Familles monoparentales",  # the network's addition
}
DATA_INCLUSION_PUBLICS = frozenset(PUBLICS) - {"familles-monoparentales"}

FRAIS: dict[str, str] = {
    "gratuit": "Gratuit",
    "gratuit-sous-conditions": "Gratuit sous conditions",
    "payant": "Payant",
    "adhesion": "Adhésion",
}

MODES_ACCUEIL: dict[str, str] = {"en-presentiel": "Sur place", "a-distance": "À distance"}
