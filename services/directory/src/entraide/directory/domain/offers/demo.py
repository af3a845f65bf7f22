"""Demo offers for the five territories: invented actions in real communes, no real people.

`python -m entraide.directory.domain.offers.demo` prints them as JSON lines (association, fields);
`deploy/demo/directory.py` records them through the staff API.
"""

import json
import random
from collections.abc import Iterator
from functools import cache
from importlib.resources import files

from entraide.directory.domain.associations import ASSOCIATIONS
from entraide.directory.domain.offers.fields import OfferFields
from entraide.directory.domain.places import Place, find, name_key

# (association, nom, thématiques, ages, hours, presentation) — invented, for demonstration;
# a few actions vary in ages and hours, so that one association's four Nantes actions differ
KINDS = [
    ("parrains-par-mille", "Parrainage de proximité", ["entraide--parrainage-de-proximite"],
     ((3, 16), (6, 12), (3, 10), (11, 16)),
     ("We 14:00-18:00; Sa 10:00-17:00", "Sa 09:00-18:00", "We 09:00-12:00; Su 10:00-17:00"), "Un parrain ou une marraine bénévole partage des moments avec l'enfant, près de chez lui."),
    ("france-parrainages", "Parrainage d'enfants et de jeunes", ["entraide--parrainage-de-proximite"], ((2, 18),),
     ("Mo-Fr 09:00-17:00",), "Une relation durable entre un enfant et un adulte bénévole, suivie par l'association."),
    ("grands-parrains", "Grands-parrains de cœur", ["entraide--grand-parrainage"], ((0, 12), (0, 6)),
     ("Tu,Th 14:00-17:00", "Mo,We 14:00-17:00"), "Des seniors bénévoles tissent un lien de type grand-parent avec la famille."),
    ("afev", "Accompagnement scolaire à domicile", ["entraide--accompagnement-scolaire"], ((6, 15), (6, 11), (11, 15)),
     ("Mo-Fr 16:30-19:00; We 14:00-18:00", "Mo,Tu,Th 16:30-19:00"), "Un étudiant bénévole aide l'enfant deux heures par semaine, chez lui."),
    ("unaf", "Point info familles", ["famille--soutien-a-la-parentalite-et-a-leducation", "entraide--acces-aux-droits"], ((0, 18),),
     ("Mo-Fr 09:00-12:00,14:00-17:00",), "Informer les parents sur leurs droits et les orienter vers le bon service."),
    ("centres-sociaux", "Café des parents solos", ["remobilisation--lien-social", "famille--soutien-a-la-parentalite-et-a-leducation"], ((0, 18),),
     ("Sa 10:00-12:00", "We 16:00-18:00"), "Un temps convivial entre parents seuls, avec un espace jeux pour les enfants."),
    ("centres-sociaux", "Halte-répit du mercredi", ["entraide--repit-parental", "famille--garde-denfants"], ((3, 10), (3, 6)),
     ("We 09:00-17:00", "We 13:30-17:30"), "Les enfants sont accueillis quelques heures pour que le parent souffle."),
    ("fondation-pour-l-enfance", "Écoute et soutien des parents", ["entraide--ecoute"], ((0, 6),),
     ("Mo-Fr 10:00-18:00",), "Des professionnels écoutent les parents épuisés, par téléphone ou sur rendez-vous."),
]  # fmt: skip


# the quarter of a commune with several postal codes, in an action's name
QUARTERS = {
    "44000": "centre-ville",
    "44100": "Bellevue et Chantenay",
    "44200": "île de Nantes",
    "44300": "quartiers Nord et Erdre",
    "59000": "Wazemmes et Vieux-Lille",
    "59800": "Fives et Saint-Maurice",
    "59140": "Malo-les-Bains",
    "59240": "Rosendaël",
}


@cache
def demo_places() -> tuple[Place, ...]:
    """The communes of the demo's offers (`data/demo_communes.txt`: postal code; name)."""
    raw = files("entraide.directory").joinpath("data/demo_communes.txt").read_text("utf-8")
    chosen = []
    for line in raw.splitlines():
        if line.strip() and not line.startswith("#"):
            code, name = line.split(";")
            place = find(f"{name} {code}")
            if place is None or not name_key(place.commune).startswith(name_key(name)):
                raise LookupError(f"demo commune not in the table: {line}")
            chosen.append(place)
    return tuple(chosen)


def demo_offers(seed: int = 2026) -> Iterator[tuple[str, OfferFields]]:
    """About three offers a commune, each association where it has a branch; a commune's
    quarter in the name where it has several postal codes."""
    rng = random.Random(seed)
    for place in demo_places():
        served = [k for k in KINDS if ASSOCIATIONS[k[0]].branch_for(place.departement)]
        where = ", ".join(filter(None, (place.commune, QUARTERS.get(place.postal_code))))
        for association, nom, themes, ages, hours, text in rng.sample(served, min(3, len(served))):
            branch = ASSOCIATIONS[association].branch_for(place.departement)
            assert branch is not None
            # its own draw, so the main one (which actions where) stays as it was
            variant = random.Random(f"{seed}:{place.postal_code}:{association}:{nom}")
            low, high = variant.choice(ages)
            yield (
                association,
                OfferFields(
                    nom=f"{nom} — {where}",
                    presentation=text,
                    thematiques=themes,
                    zone_eligibilite=[place.departement],
                    horaires_accueil=variant.choice(hours),
                    commune=place.commune,
                    code_postal=place.postal_code,
                    latitude=round(place.latitude + rng.uniform(-0.01, 0.01), 5),
                    longitude=round(place.longitude + rng.uniform(-0.01, 0.01), 5),
                    age_min=low,
                    age_max=high,
                    capacity=rng.choice([5, 10, 20]),
                    current_load=rng.randrange(0, 5),
                    modalites_acces=f"Écrire à {branch.nom}, qui vous répond sous une semaine.",
                    courriel=branch.courriel,
                    modes_accueil=["a-distance"]
                    if association == "fondation-pour-l-enfance"
                    else ["en-presentiel"],
                ),
            )


if __name__ == "__main__":
    for association, offer in demo_offers():
        print(
            json.dumps(
                {"association": association, "offer": offer.model_dump(mode="json")},
                ensure_ascii=False,
            )
        )
