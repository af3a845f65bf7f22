"""Generated national-scale matching data: families and volunteers clustered around towns
across metropolitan France, with the network's needs, slots and urgencies."""

import random
from datetime import date, datetime, timedelta

from entraide.matching.domain.model import Family, Support

NEEDS = (
    "parrainage-de-proximite",
    "grand-parrainage",
    "accompagnement-scolaire",
    "soutien-a-la-parentalite",
    "repit-garde-ponctuelle",
    "activites-et-lien-social",
    "acces-aux-droits",
    "ecoute",
)
NEED_WEIGHTS = (30, 10, 20, 12, 15, 8, 3, 2)
SLOTS = [
    (d, p)
    for d in ("mo", "tu", "we", "th", "fr", "sa", "su")
    for p in ("morning", "afternoon", "evening")
]
URGENCIES = (("low", 40), ("medium", 35), ("high", 20), ("critical", 5))
LANGUAGES = ("ar", "en", "es", "pt", "ro", "tr", "wo")


def towns(rng: random.Random, n: int = 400) -> list[tuple[float, float, float]]:
    """(lat, lon, weight): a few big cities, many small towns (a Zipf-like spread)."""
    return [(rng.uniform(43.0, 50.8), rng.uniform(-4.3, 7.5), 1 / (rank + 1)) for rank in range(n)]


def _place(rng: random.Random, centres: list[tuple[float, float, float]]) -> tuple[float, float]:
    lat, lon, _ = rng.choices(centres, weights=[c[2] for c in centres])[0]
    return (lat + rng.gauss(0, 0.08), lon + rng.gauss(0, 0.11))


def _needs(rng: random.Random, k: int) -> frozenset[str]:
    return frozenset(rng.choices(NEEDS, weights=NEED_WEIGHTS, k=k))


def families(rng: random.Random, n: int, centres, now: datetime) -> list[Family]:
    out = []
    for i in range(n):
        urgency = rng.choices([u for u, _ in URGENCIES], weights=[w for _, w in URGENCIES])[0]
        location = _place(rng, centres)
        out.append(
            Family(
                request_id=f"req{i:07d}",
                family_ref=f"fam{i:07d}",
                needs=_needs(rng, rng.choice((1, 1, 2))),
                departement=f"{int(location[0] * 7) % 95 + 1:02d}",
                location=location,
                age_bands=frozenset(rng.sample(["0-2", "3-5", "6-10", "11-14", "15-17"], 2)),
                slots=frozenset(rng.sample(SLOTS, rng.randint(3, 8))),
                languages=frozenset(
                    {"fr"} | ({rng.choice(LANGUAGES)} if rng.random() < 0.25 else set())
                ),
                urgency=urgency,
                consent=True,
                waiting_since=now - timedelta(days=rng.uniform(0, 90)),
            )
        )
    return out


def volunteers(
    rng: random.Random, n: int, centres, today: date, busy: float = 0.8
) -> list[Support]:
    out = []
    for i in range(n):
        location = _place(rng, centres)
        capacity = rng.choice((1, 1, 1, 2, 3))
        # most volunteers already follow as many families as they can
        load = capacity if rng.random() < busy else rng.randrange(capacity)
        out.append(
            Support(
                key=f"volunteer:vol{i:07d}",
                association_id=rng.choice(
                    ("parrains-par-mille", "afev", "france-parrainages", "grands-parrains")
                ),
                needs=_needs(rng, rng.choice((1, 2))),
                departements=frozenset({f"{int(location[0] * 7) % 95 + 1:02d}"}),
                location=location,
                capacity=capacity,
                load=load,
                one_to_one=True,
                slots=frozenset(rng.sample(SLOTS, rng.randint(2, 8))),
                languages=frozenset(
                    {"fr"} | ({rng.choice(LANGUAGES)} if rng.random() < 0.2 else set())
                ),
                active=rng.random() < 0.95,
                honorability_valid_until=today + timedelta(days=365)
                if rng.random() < 0.95
                else None,
            )
        )
    return out


def volunteer_document(rng: random.Random, i: int, postal_code: str, capacity: int) -> dict:
    """Volunteer `bench-vol-000042` as matching's read model holds it (the store
    benchmarks load these): one or two needs, five slots, honourable until 2030."""
    return {
        "_id": f"bench-vol-{i:06d}",
        "association_id": "parrains-par-mille",
        "revision": 1,
        "departement": postal_code[:2],
        "postal_code": postal_code,
        "needs": rng.sample(NEEDS, rng.choice((1, 2))),
        "availability": [{"day": d, "part": p} for d, p in rng.sample(SLOTS, 5)],
        "languages": ["fr"],
        "active": True,
        "capacity": capacity,
        "honorability_valid_until": "2030-01-01",
    }
