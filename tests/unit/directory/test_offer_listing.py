"""The association's actions' order as one stored key, and the slices a page reads of the
parts (hidden, to confirm, up to date): `domain.offers.listing`."""

import random
from datetime import UTC, datetime, timedelta

from entraide.directory.domain import places
from entraide.directory.domain.offers import listing
from entraide.directory.domain.offers.events import offer_document
from entraide.directory.domain.offers.fields import Freshness, freshness
from tests.unit.directory.offers import fields

NOW = datetime(2026, 12, 2, 1, 30, tzinfo=UTC)


def by_key(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return sorted(pairs, key=lambda pair: listing.sort_key(*pair))


def test_paris_2e_comes_before_paris_19e_and_the_name_before_the_commune():
    assert listing.sort_key("Paris 2e", "Lille") < listing.sort_key("Paris 19e", "Lille")
    assert listing.sort_key("Atelier", "Paris 2e") < listing.sort_key("Atelier", "Paris 19e")
    assert listing.sort_key("Atelier 9", "Rezé") < listing.sort_key("Atelier 10", "Nantes")
    assert by_key([("Aide", "Rezé"), ("Aide", "Nantes"), ("Aide aux devoirs", "Bagnolet")]) == [
        ("Aide", "Nantes"),
        ("Aide", "Rezé"),
        ("Aide aux devoirs", "Bagnolet"),
    ]


def test_accents_and_case_aside_ile_de_france_is_among_the_i():
    names = ["Ivry", "Île-de-France", "Igny", "Écoute", "Ecole", "Echanges", "eveil", "Zéro"]
    assert [n for n, _ in by_key([(n, "Nantes") for n in names])] == [
        "Echanges", "Ecole", "Écoute", "eveil", "Igny", "Île-de-France", "Ivry", "Zéro"
    ]  # fmt: skip


def test_the_key_orders_as_the_natural_order_of_the_name_then_the_commune():
    words = ["Paris", "Paris 2", "Paris2", "Paris 2e", "Paris 19e", "Lot 9 B", "Lot 10", "Île",
             "Ile", "île", "A 007 b", "A 7", "Rezé", "Reze", "x 0", "x 00 a", "Abc", "Abc1"]  # fmt: skip
    pairs = [(random.Random(n).choice(words), random.Random(-n).choice(words)) for n in range(300)]
    natural = sorted(pairs, key=lambda p: (places.natural_key(p[0]), places.natural_key(p[1])))
    assert by_key(pairs) == natural


def test_every_stored_offer_has_its_key():
    doc = offer_document("o1", "ppm", fields("Nantes", nom="Paris 2e"), revision=1, now=NOW)
    assert doc["sort_key"] == listing.sort_key("Paris 2e", "Nantes")


def test_each_state_is_a_range_of_the_update_s_date_as_freshness_says():
    for days in (0, 179, 180, 181, 269, 270, 271, 900):
        for seconds in (-1, 0, 1):
            updated = NOW - timedelta(days=days, seconds=seconds)
            [state] = [s for s in Freshness if within(updated, *listing.updated_range(s, NOW))]
            assert state is freshness(updated, NOW)


def within(at: datetime, after: datetime | None, until: datetime | None) -> bool:
    return (after is None or at > after) and (until is None or at <= until)


def test_pages_read_each_item_once_in_order_with_no_gap():
    for counts in ([0, 0, 0], [3, 0, 45], [20, 20, 20], [7, 13, 1], [0, 41, 0], [19, 2, 0]):
        items = [(part, n) for part, count in enumerate(counts) for n in range(count)]
        read = []
        for start in range(0, sum(counts) + 20, 20):
            page = [
                (part, n)
                for part, skip, limit in listing.slices(counts, start, 20)
                for n in range(skip, skip + limit)
            ]
            assert len(page) <= 20
            read += page
        assert read == items  # no duplicate, no gap, the parts' order kept


def test_a_page_past_the_end_reads_nothing():
    assert listing.slices([5, 5, 5], 15, 20) == []
    assert listing.slices([5, 5, 5], 10, 20) == [(2, 0, 5)]
    assert listing.slices([30, 5, 5], 20, 20) == [(0, 20, 10), (1, 0, 5), (2, 0, 5)]


def test_in_memory_the_stalest_first_then_by_key():
    def doc(_id: str, nom: str, days: int) -> dict:
        updated = NOW - timedelta(days=days)
        return {"_id": _id, "sort_key": listing.sort_key(nom, "Nantes"), "updated_at": updated}

    docs = [doc("a", "Paris 19e", 1), doc("b", "Paris 2e", 1), doc("c", "Zoo", 300),
            doc("d", "Abc", 200), doc("e", "Paris 2e", 1)]  # fmt: skip
    assert [d["_id"] for d in listing.ordered(docs, NOW)] == ["c", "d", "b", "e", "a"]
