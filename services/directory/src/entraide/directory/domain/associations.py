"""The network's associations and their local branches (referents for a territory).

Reference data, kept in code until associations edit it themselves. Contact paths are the
associations' public sites; branch e-mail addresses are invented (`example.org`).
"""

from dataclasses import dataclass

from entraide.contracts import departements

TERRITORIES = {code: departements.name(code) for code in departements.FIRST_TERRITORIES}


@dataclass(frozen=True)
class Branch:
    id: str
    nom: str
    departement: str
    commune: str
    courriel: str


@dataclass(frozen=True)
class Association:
    id: str
    nom: str
    site: str | None
    branches: tuple[Branch, ...]

    def branch_for(self, departement: str) -> Branch | None:
        return next((b for b in self.branches if b.departement == departement), None)


def _branches(slug: str, short: str, where: dict[str, str]) -> tuple[Branch, ...]:
    return tuple(
        Branch(f"{slug}-{dep}", f"{short} {commune}", dep, commune, f"{slug}-{dep}@example.org")
        for dep, commune in where.items()
    )


ASSOCIATIONS: dict[str, Association] = {
    a.id: a
    for a in [
        Association(
            "parrains-par-mille",
            "Parrains Par Mille",
            "https://www.parrainsparmille.org",
            _branches("ppm", "Parrains Par Mille", {"44": "Nantes", "75": "Paris"}),
        ),
        Association(
            "afev",
            "AFEV",
            "https://afev.org",
            _branches("afev", "AFEV", {"59": "Lille", "93": "Saint-Denis"}),
        ),
        Association(
            "france-parrainages",
            "France Parrainages",
            "https://www.france-parrainages.org",
            _branches("fp", "France Parrainages", {"75": "Paris", "93": "Bobigny"}),
        ),
        Association(
            "grands-parrains",
            "Grands Parrains",
            None,
            _branches("gp", "Grands Parrains", {"44": "Nantes"}),
        ),
        Association(
            "fondation-pour-l-enfance",
            "Fondation pour l'Enfance",
            "https://www.fondation-enfance.org",
            _branches("fpe", "Fondation pour l'Enfance", {"75": "Paris"}),
        ),
        Association(
            "unaf",
            "UNAF",
            "https://www.unaf.fr",
            _branches("udaf", "UDAF", {"58": "Nevers", "59": "Lille"}),
        ),
        Association(
            "centres-sociaux",
            "Fédération des centres sociaux",
            "https://www.centres-sociaux.fr",
            _branches("cs", "Centres sociaux", {"58": "Nevers", "93": "Montreuil"}),
        ),
    ]
}


def name_of(association_id: str) -> str:
    found = ASSOCIATIONS.get(association_id)
    return found.nom if found else association_id
