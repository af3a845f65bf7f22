"""`search.best` over prepared cards ranks exactly as the plain loop it replaced did: the
same offers, distances and scores in the same order, on random cards and queries."""

import random
from datetime import timedelta
from typing import Any

from entraide.directory.domain import geo
from entraide.directory.domain.offers import hours, search
from entraide.directory.domain.offers.fields import Freshness, freshness
from tests.unit.directory.test_search import NANTES, NOW, card, query

WORDS = ["parrainage", "répit samedi", "devoirs", "café parents", "aide scolaire", ""]


def reference_rank(cards: list[search.Card], q: search.Query) -> list[search.Hit]:
    """The ranking as it was before cards were prepared (commit 4ce8787)."""
    wanted = search.tokens(q.text)

    def keep(c: dict[str, Any], distance: float) -> bool:
        if c["f"] & search.REMOTE and q.departement and q.departement in c["z"].split():
            pass
        elif distance > q.radius_km:
            return False
        if c["f"] & search.PRO and not q.professional:
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

    def relevance(c: dict[str, Any]) -> float:
        score = 0.0
        if wanted:
            words = " " + c["w"]
            score += 0.7 * sum(1 for w in wanted if " " + w in words) / len(wanted)
        if q.need and q.need in c["n"].split():
            score += 0.2 / len(c["n"].split())
        low, high = c["a"]
        if q.age is not None and low >= 0 and high <= 25:
            score += 0.1 * (1 - min(1.0, (high - low) / 18))
        return score

    hits = []
    for c in cards:
        distance = geo.distance_km(q.latitude, q.longitude, c["lat"], c["lon"])
        if not keep(c, distance):
            continue
        fit = relevance(c)
        if wanted and fit < 0.7 * 0.5:
            continue
        nearness = max(0.0, 1 - distance / max(q.radius_km, 1.0))
        hits.append(search.Hit(c, round(distance, 1), round(0.75 * fit + 0.25 * nearness, 4)))
    hits.sort(key=lambda h: (-h.score, h.distance_km, h.card["_id"]))
    return hits[: q.limit]


def random_cards(rng: random.Random, n: int) -> list[search.Card]:
    themes = [
        ("entraide--parrainage-de-proximite", "Parrainage"),
        ("entraide--accompagnement-scolaire", "Aide aux devoirs"),
        ("entraide--repit-parental", "Répit du samedi"),
        ("famille--soutien-a-la-parentalite-et-a-leducation", "Café des parents"),
    ]
    found = []
    for i in range(n):
        theme, nom = rng.choice(themes)
        low = rng.randrange(0, 12)
        c = card(
            f"{i:04}",
            age=NOW - timedelta(days=rng.choice([0, 100, 269, 270, 271, 400])),
            nom=f"{nom} {i}",
            thematiques=[theme],
            age_min=rng.choice([None, low]),
            age_max=rng.choice([None, low + rng.randrange(0, 12)]),
            professionals_only=rng.random() < 0.1,
            modes_accueil=rng.choice([["en-presentiel"], ["a-distance"]]),
            horaires_accueil=rng.choice([None, "Mo-Fr 09:00-12:00", "We 14:00-18:00"]),
        )
        # anywhere within about 60 km of Nantes, some exactly at its centre
        spread = rng.choice([0.0, 0.05, 0.3])
        c["lat"] = NANTES.latitude + rng.gauss(0, spread)
        c["lon"] = NANTES.longitude + rng.gauss(0, spread)
        found.append(c)
    return found


def test_prepared_ranking_matches_the_reference_on_random_cards_and_queries():
    rng = random.Random(12)
    cards = random_cards(rng, 600)
    for _ in range(200):
        q = query(
            radius_km=rng.choice([1, 5, 15, 42.5, 80]),
            departement=rng.choice([None, "44", "85"]),
            need=rng.choice([None, "parrainage-de-proximite", "repit-garde-ponctuelle"]),
            age=rng.choice([None, 0, 8, 14, 25]),
            day=rng.choice([None, 0, 2]),
            minute=rng.choice([None, 10 * 60, 15 * 60]),
            text=rng.choice(WORDS),
            professional=rng.random() < 0.3,
            limit=rng.choice([5, 20, 1000]),
        )
        expected = reference_rank(cards, q)
        got = search.rank(cards, q)
        assert [(h.card["_id"], h.distance_km, h.score) for h in got] == [
            (h.card["_id"], h.distance_km, h.score) for h in expected
        ], q


def test_an_offer_found_in_its_cell_and_its_departement_is_listed_once():
    remote = card("phone", modes_accueil=["a-distance"])
    hits = search.rank([remote, card("here"), remote], query())
    assert sorted(h.card["_id"] for h in hits) == ["here", "phone"]
