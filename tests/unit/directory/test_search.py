from datetime import UTC, datetime, timedelta

from entraide.directory.domain.offers import events, search
from entraide.directory.domain.places import find
from tests.unit.directory.offers import fields

NOW = datetime(2026, 11, 28, tzinfo=UTC)
NANTES = find("Nantes")


def card(offer_id, where="Nantes", association="Parrains Par Mille", age=NOW, **changes):
    doc = events.offer_document(offer_id, "x", fields(where, **changes), revision=1, now=age)
    return search.card(doc, association)


def query(**changes):
    values = {
        "latitude": NANTES.latitude,
        "longitude": NANTES.longitude,
        "departement": "44",
        "now": NOW,
    }
    return search.Query(**(values | changes))


def ids(hits):
    return [h.card["_id"] for h in hits]


def test_a_family_near_nantes_asking_for_parrainage_for_an_8_year_old_gets_it_first():
    cards = [
        card("far", where="Saint-Nazaire"),
        card("near", where="Rezé"),
        card(
            "homework",
            nom="Aide aux devoirs",
            presentation="Soutien scolaire",
            thematiques=["entraide--accompagnement-scolaire"],
        ),
        card("toddlers", age_min=0, age_max=3),
        card("paris", where="75011"),
    ]
    hits = search.rank(cards, query(radius_km=80, age=8, text="parrainage"))
    assert ids(hits) == ["near", "far"]


def test_outside_the_radius_is_left_out_unless_served_at_a_distance_in_the_departement():
    cards = [
        card("far", where="Saint-Nazaire"),
        card("phone", where="Saint-Nazaire", modes_accueil=["a-distance"]),
    ]
    assert ids(search.rank(cards, query(radius_km=10))) == ["phone"]


def test_professionals_only_and_stale_offers_stay_out_of_the_public_results():
    cards = [
        card("pro", professionals_only=True),
        card("stale", age=NOW - timedelta(days=300)),
        card("ok"),
    ]
    assert ids(search.rank(cards, query())) == ["ok"]
    assert ids(search.rank(cards, query(professional=True))) == ["ok", "pro"]


def test_day_and_time_keep_offers_open_then():
    cards = [card("wed"), card("mon", horaires_accueil="Mo 09:00-12:00")]
    assert ids(search.rank(cards, query(day=2, minute=15 * 60))) == ["wed"]


def test_a_need_filters_and_words_rank():
    cards = [card("a"), card("b", nom="Répit du samedi", thematiques=["entraide--repit-parental"])]
    assert ids(search.rank(cards, query(need="repit-garde-ponctuelle"))) == ["b"]
    assert ids(search.rank(cards, query(text="répit samedi"))) == ["b"]
