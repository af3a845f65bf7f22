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


SEP = "\x1f"  # between the packed display fields
REMOTE, PRO = 1, 2  # flags


def card(doc: dict[str, Any], association_name: str) -> Card:
    """What a search needs of an offer, stored in its cell's collection.

    Packed on purpose (12 fields, words and display text as strings): a search reads every
    card of the cells within reach, and fewer BSON elements decode faster."""
    slots = hours.parse(doc["horaires_accueil"]) if doc.get("horaires_accueil") else []
    words = tokens(" ".join([doc["nom"], doc.get("presentation", ""), association_name]))
    words |= tokens(" ".join(doc["thematiques"]))
    display = [
        doc["nom"],
        association_name,
        doc["commune"],
        doc["code_postal"],
        doc["association_id"],
    ]
    remote = "a-distance" in doc["modes_accueil"]
    return {
        "_id": doc["_id"],
        "lat": doc["latitude"],
        "lon": doc["longitude"],
        "n": " ".join(doc["needs"]),
        "a": [_or(doc.get("age_min"), -1), _or(doc.get("age_max"), 99)],
        "s": [n for slot in slots for n in slot],  # flat: fewer elements to decode
        "w": " ".join(sorted(words)),
        "d": SEP.join(display),
        "z": " ".join(doc["zone_eligibilite"]) if remote else "",
        "f": (REMOTE if remote else 0) | (PRO if doc["professionals_only"] else 0),
        "u": doc["updated_at"],
        "r": doc["revision"],
    }


def _or(value: int | None, default: int) -> int:
    return default if value is None else value


def display(c: Card) -> dict[str, Any]:
    """The card's fields for a results list."""
    nom, association, commune, code_postal, association_id = c["d"].split(SEP)
    low, high = c["a"]
    return {
        "nom": nom,
        "association": association,
        "commune": commune,
        "code_postal": code_postal,
        "association_id": association_id,
        "needs": c["n"].split(),
        "age_min": None if low < 0 else low,
        "age_max": None if high > 25 else high,
    }


def relevance(c: Card, q: Query, wanted: set[str]) -> float:
    """0..1: share of the query's words the offer answers, plus its fit to the need."""
    score = 0.0
    if wanted:
        words = " " + c["w"]
        score += 0.7 * sum(1 for w in wanted if " " + w in words) / len(wanted)
    if q.need and q.need in c["n"].split():
        score += 0.2 / len(c["n"].split())  # a focused offer fits better than a broad one
    low, high = c["a"]
    if q.age is not None and low >= 0 and high <= 25:
        score += 0.1 * (1 - min(1.0, (high - low) / 18))  # narrower fits better
    return score


def keep(c: Card, q: Query, distance: float) -> bool:
    if c["f"] & REMOTE and q.departement and q.departement in c["z"].split():
        pass  # served at a distance across the département
    elif distance > q.radius_km:
        return False
    if c["f"] & PRO and not q.professional:
        return False
    if freshness(c["u"], q.now) is Freshness.HIDDEN:
        return False
    if q.need and q.need not in c["n"].split():
        return False
    low, high = c["a"]
    if q.age is not None and not low <= q.age <= high:
        return False
    flat = c["s"]
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
