"""Public search rules: the card each offer shows in results, the filters and the ranking.

Pure: no I/O. The store hands over the cards of the cells within reach, prepared once
(`prepare`, when a process reads a cell); this module keeps those that fit and orders them
by relevance and distance (`best`).
"""

import heapq
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from entraide.directory.domain import geo
from entraide.directory.domain.offers import hours
from entraide.directory.domain.offers.fields import HIDDEN_AFTER
from entraide.directory.domain.places import normalise

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
    offset: int = 0  # the hits skipped, best first: a page's start
    now: datetime = field(default_factory=lambda: datetime.now().astimezone())


@dataclass(frozen=True)
class Hit:
    card: Card
    distance_km: float
    score: float


@dataclass(frozen=True)
class Results:
    """One page of hits, best first, and how many fit in all."""

    hits: list[Hit]
    total: int


def tokens(text: str) -> set[str]:
    """Search words: normalised, no stop words, a light French plural folding."""
    words = re.findall(r"[a-z0-9]+", normalise(text))
    return {w[:-1] if len(w) > 4 and w.endswith(("s", "x")) else w for w in words} - STOPWORDS


SEP = "\x1f"  # between the packed display fields
SHOWN = ("_id", "d", "n", "a")  # the fields a hit's card keeps: what `display` reads
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


@dataclass(slots=True)  # not frozen: a frozen __init__ costs a third more, per card
class Prepared:
    """A card with what ranking reads of it computed once, when its cell is read from the
    store, rather than at every search: radians, needs, ages, slots, zones, a timestamp."""

    card: Card  # the fields shown (`SHOWN`)
    id: str
    phi: float  # latitude, radians
    cos_phi: float
    lon: float  # degrees
    needs: tuple[str, ...]
    low: int
    high: int
    slots: tuple[hours.Slot, ...]
    words: str  # " " + the card's words: a query word matches a word's start
    zones: tuple[str, ...]
    remote: bool
    pro: bool
    updated: datetime


def prepare(c: Card) -> Prepared:
    """The card, ready to rank."""
    flat, phi = c["s"], math.radians(c["lat"])
    low, high = c["a"]
    return Prepared(
        card={k: c[k] for k in SHOWN},  # what `display` reads: a cached card is half as big
        id=c["_id"],
        phi=phi,
        cos_phi=math.cos(phi),
        lon=c["lon"],
        needs=tuple(c["n"].split()),
        low=low,
        high=high,
        slots=tuple(zip(flat[0::3], flat[1::3], flat[2::3], strict=True)),
        words=" " + c["w"],
        zones=tuple(c["z"].split()),
        remote=bool(c["f"] & REMOTE),
        pro=bool(c["f"] & PRO),
        updated=c["u"],
    )


def rank(cards: list[Card], q: Query) -> list[Hit]:
    """The cards that fit, best first: relevance, then nearness, then the newest."""
    return best([prepare(c) for c in cards], q)


def best(cards: Sequence[Prepared], q: Query) -> list[Hit]:
    """The prepared cards that fit, best first (`results`' hits)."""
    return results(cards, q).hits


def results(cards: Sequence[Prepared], q: Query) -> Results:
    """The prepared cards that fit, best first: relevance, then nearness, then the id;
    `q.limit` of them from `q.offset` on, and how many fit in all.

    Kept: within the radius (or served at a distance across the query's département),
    public unless the query is a professional's, not hidden by age, answering the need,
    the child's age and the day and time, and at least half the query's words. An offer
    found twice (its cell's card and its département's) counts once. The cheap tests come
    first: this loop runs over every card within reach (thousands in Paris)."""
    probes = [" " + w for w in tokens(q.text)]
    phi0 = math.radians(q.latitude)
    cos0 = math.cos(phi0)
    # along a meridian a card is never nearer than its latitude's difference: 1 m spare
    band = (q.radius_km + 0.001) / geo.EARTH_RADIUS_KM
    hidden_until = q.now - HIDDEN_AFTER  # fields.freshness: hidden from HIDDEN_AFTER on
    need, age, dep = q.need, q.age, q.departement
    scale = max(q.radius_km, 1.0)
    sin, asin, sqrt, radians = math.sin, math.asin, math.sqrt, math.radians
    seen: set[str] = set()
    found = []
    for i, c in enumerate(cards):
        if (c.pro and not q.professional) or c.updated <= hidden_until:
            continue
        if (need and need not in c.needs) or (age is not None and not c.low <= age <= c.high):
            continue
        anywhere = c.remote and bool(dep) and dep in c.zones
        dp = c.phi - phi0
        if not anywhere and abs(dp) > band:
            continue
        # geo.distance_km, inlined with the card's radians and cosine computed once
        dl = radians(c.lon - q.longitude)
        a = sin(dp / 2) ** 2 + cos0 * c.cos_phi * sin(dl / 2) ** 2
        distance = 2 * geo.EARTH_RADIUS_KM * asin(sqrt(a))
        if not anywhere and distance > q.radius_km:
            continue
        if q.day is not None and c.slots and not hours.is_open(c.slots, q.day, q.minute):
            continue
        fit = _fit(c, q, probes)
        if probes and fit < 0.7 * 0.5:  # fewer than half the words: not what was asked
            continue
        if c.remote:
            if c.id in seen:
                continue
            seen.add(c.id)
        nearness = max(0.0, 1 - distance / scale)
        score = round(0.75 * fit + 0.25 * nearness, 4)
        found.append((-score, round(distance, 1), c.id, i, c))
    # as sorted()[offset:offset + limit], ties in the cards' order
    top = heapq.nsmallest(q.offset + q.limit, found)[q.offset :]
    hits = [Hit(c.card, distance, -score) for score, distance, _, _, c in top]
    return Results(hits, len(found))


def _fit(c: Prepared, q: Query, probes: list[str]) -> float:
    """0..1: share of the query's words the offer answers, plus its fit to the need."""
    score = 0.0
    if probes:
        score += 0.7 * sum(1 for w in probes if w in c.words) / len(probes)
    if q.need and q.need in c.needs:
        score += 0.2 / len(c.needs)  # a focused offer fits better than a broad one
    if q.age is not None and c.low >= 0 and c.high <= 25:
        score += 0.1 * (1 - min(1.0, (c.high - c.low) / 18))  # narrower fits better
    return score
