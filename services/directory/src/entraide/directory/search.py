"""Public search rules: the card each offer shows in results, the filters and the ranking.

Pure: no I/O. The store hands over the cards of the cells within reach; this module keeps
those that fit and orders them by relevance and distance.
"""

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from entraide.directory import geo, hours
from entraide.directory.domain import Freshness, freshness
from entraide.directory.places import normalise

STOPWORDS = frozenset(
    [
        "de",
        "des",
        "du",
        "la",
        "le",
        "les",
        "un",
        "une",
        "pour",
        "par",
        "pres",
        "aux",
        "au",
        "et",
        "a",
        "en",
        "avec",
        "mon",
        "ma",
        "mes",
        "son",
        "sa",
        "ses",
        "enfant",
        "enfants",
        "ans",
        "an",
    ]
)
Card = dict[str, Any]


@dataclass(frozen=True)
class Query:
    latitude: float
    longitude: float
    radius_km: float = 15.0
    departement: str | None = None
    need: str | None = None
    age: int | None = None
    day: int | None = None  # Monday = 0
    minute: int | None = None
    text: str = ""
    professional: bool = False  # professionals also see professionals-only offers
    limit: int = 20
    now: datetime = field(default_factory=lambda: datetime.now().astimezone())


@dataclass(frozen=True)
class Hit:
    card: Card
    distance_km: float
    score: float


def tokens(text: str) -> set[str]:
    """Search words: normalised, no stop words, a light French plural folding."""
    words = re.findall(r"[a-z0-9]+", normalise(text))
    return {w[:-1] if len(w) > 4 and w.endswith(("s", "x")) else w for w in words} - STOPWORDS


def card(doc: dict[str, Any], association_name: str) -> Card:
    """What a search needs of an offer, stored in its cell's collection."""
    slots = hours.parse(doc["horaires_accueil"]) if doc.get("horaires_accueil") else []
    words = tokens(" ".join([doc["nom"], doc.get("presentation", ""), association_name]))
    return {
        "_id": doc["_id"],
        "association_id": doc["association_id"],
        "association": association_name,
        "nom": doc["nom"],
        "commune": doc["commune"],
        "code_postal": doc["code_postal"],
        "lat": doc["latitude"],
        "lon": doc["longitude"],
        "needs": doc["needs"],
        "thematiques": doc["thematiques"],
        "age_min": doc.get("age_min"),
        "age_max": doc.get("age_max"),
        "slots": [n for slot in slots for n in slot],  # flat: FerretDB refuses nested arrays
        "words": sorted(words | tokens(" ".join(doc["thematiques"]))),
        "remote": "a-distance" in doc["modes_accueil"],
        "departements": doc["zone_eligibilite"],
        "professionals_only": doc["professionals_only"],
        "updated_at": doc["updated_at"],
        "revision": doc["revision"],
    }


def relevance(c: Card, q: Query, wanted: set[str]) -> float:
    """0..1: share of the query's words the offer answers, plus its fit to the need."""
    score = 0.0
    if wanted:
        score += (
            0.7 * sum(1 for w in wanted if any(x.startswith(w) for x in c["words"])) / len(wanted)
        )
    if q.need and c["needs"] and c["needs"][0] == q.need:
        score += 0.2  # its main purpose, not a side one
    if q.age is not None and c["age_min"] is not None and c["age_max"] is not None:
        score += 0.1 * (1 - min(1.0, (c["age_max"] - c["age_min"]) / 18))  # narrower fits better
    return score


def keep(c: Card, q: Query, distance: float) -> bool:
    if c["remote"] and q.departement in c["departements"]:
        pass  # served at a distance across the département
    elif distance > q.radius_km:
        return False
    if c["professionals_only"] and not q.professional:
        return False
    if freshness(c["updated_at"], q.now) is Freshness.HIDDEN:
        return False
    if q.need and q.need not in c["needs"]:
        return False
    if q.age is not None and not (
        (c["age_min"] is None or c["age_min"] <= q.age)
        and (c["age_max"] is None or q.age <= c["age_max"])
    ):
        return False
    flat = c["slots"]
    slots = [(flat[i], flat[i + 1], flat[i + 2]) for i in range(0, len(flat), 3)]
    return q.day is None or not slots or hours.is_open(slots, q.day, q.minute)


def rank(cards: list[Card], q: Query) -> list[Hit]:
    """The cards that fit, best first: relevance, then nearness, then the newest."""
    wanted = tokens(q.text)
    hits = []
    for c in cards:
        distance = geo.distance_km(q.latitude, q.longitude, c["lat"], c["lon"])
        if not keep(c, q, distance):
            continue
        fit = relevance(c, q, wanted)
        if wanted and fit < 0.7 * 0.5:  # fewer than half the words: not what was asked
            continue
        nearness = max(0.0, 1 - distance / max(q.radius_km, 1.0))
        hits.append(Hit(c, round(distance, 1), round(0.75 * fit + 0.25 * nearness, 4)))
    hits.sort(key=lambda h: (-h.score, h.distance_km, h.card["_id"]))
    return hits[: q.limit]
