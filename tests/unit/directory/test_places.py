"""Every French commune is known offline: found by name, accents and hyphens or not, by
postal code, or both; homonyms are told apart by postal code or département. Checked
against INSEE's list itself (the npm package the table is built from), for the network's
five départements."""

import json
from pathlib import Path

import pytest

from entraide.contracts.geography import distance_km, locate
from entraide.directory.domain import places
from entraide.directory.domain.offers.demo import demo_places

COG = (
    Path(__file__).resolve().parents[3]
    / "web/node_modules/@etalab/decoupage-administratif/data/communes.json"
)
FIVE = ("75", "93", "44", "59", "58")


@pytest.fixture(scope="module")
def insee() -> list[dict]:
    """INSEE's communes (and Paris' arrondissements) of the five départements."""
    assert COG.is_file(), f"{COG} missing: run `make setup` (npm ci in web/)"
    listed = json.loads(COG.read_text(encoding="utf-8"))
    kinds = ("commune-actuelle", "arrondissement-municipal")
    return [c for c in listed if c["type"] in kinds and c["departement"] in FIVE]


def test_insee_lists_the_five_departements_communes(insee: list[dict]) -> None:
    counts = {dep: sum(c["departement"] == dep for c in insee) for dep in FIVE}
    assert counts == {"75": 21, "93": 39, "44": 207, "59": 647, "58": 309}  # 2026 vintage


def test_every_commune_of_the_five_departements_is_found_by_name_and_postal_code(insee):
    wrong = []
    for c in insee:
        name, dep = c["nom"], c["departement"]
        if (
            places.find(name) is None or places.find(name).commune != name
        ):  # a homonym may come first
            wrong.append(f"{name}: by name")
        if c["code"] not in {p.insee for p in places.candidates(f"{name} ({dep})")}:
            wrong.append(f"{name} ({dep}): by name and département")
        for code in c["codesPostaux"]:
            both = places.find(f"{name} {code}")
            if both is None or (both.insee, both.postal_code) != (c["code"], code):
                wrong.append(f"{name} {code}: by name and postal code")
            alone = places.find(code)
            if alone is None or alone.departement != dep or alone.postal_code != code:
                wrong.append(f"{code}: by postal code")
            point = locate(code)
            if point is None or distance_km(point, (both.latitude, both.longitude)) > 40:
                wrong.append(f"{code}: located {point}")
    assert wrong == []


def test_a_village_is_found_with_or_without_accents_hyphens_and_saint_abbreviated():
    for query in ("Saint-Pierre-le-Moûtier", "saint pierre le moutier", "ST PIERRE LE MOUTIER",
                  "St-Pierre-le-Moutier 58240", "Saint-Pierre-le-Moûtier (58)"):  # fmt: skip
        found = places.find(query)
        assert found is not None, query
        assert (found.insee, found.postal_code, found.departement) == ("58264", "58240", "58")
    assert places.find("58240").commune == "Saint-Pierre-le-Moûtier"  # its largest commune
    assert places.find("58240 Livry").commune == "Livry"  # a smaller one of the same code
    assert places.find("Paimboeuf").commune == "Paimbœuf"
    assert places.find("reze").postal_code == "44400"
    assert places.find("Nantes 44300").postal_code == "44300"


def test_homonyms_are_all_offered_the_largest_first_and_told_apart():
    marie = places.candidates("Sainte-Marie")
    assert len(marie) > 5
    assert {p.commune for p in marie} == {"Sainte-Marie"}
    assert "58" in {p.departement for p in marie}
    assert [p.postal_code for p in places.candidates("Sainte-Marie (58)")] == ["58330"]
    assert places.find("Montreuil").departement == "93"  # 100,000 people, before Montreuil (62)


def test_a_name_borne_in_the_network_s_territories_finds_theirs_first_and_offers_the_rest():
    marie = places.candidates("Sainte-Marie")
    assert (marie[0].postal_code, marie[0].departement) == ("58330", "58")  # not La Réunion's
    assert marie[1].postal_code == "97438"  # then the most populous elsewhere
    assert places.find("Sainte-Marie").postal_code == "58330"
    assert places.find("ste marie").postal_code == "58330"
    assert [p.departement for p in places.candidates("Sainte-Ma")][:2] == ["59", "58"]


def test_paris_by_arrondissement_and_a_former_commune_by_its_name():
    assert places.find("75011").commune == "Paris 11e Arrondissement"
    assert places.find("Paris 11e").postal_code == "75011"
    assert places.find("Paris").commune == "Paris"
    former = places.find("Bourgneuf-en-Retz")  # now part of Villeneuve-en-Retz
    assert former is not None
    assert (former.commune, former.postal_code, former.departement) == (
        "Bourgneuf-en-Retz",
        "44580",
        "44",
    )


def test_an_unknown_place_is_none():
    assert places.find("Atlantide") is None
    assert places.find("00000") is None
    assert places.candidates("") == []


def test_the_demo_communes_are_in_the_five_departements():
    assert {p.departement for p in demo_places()} == set(FIVE)


def test_names_are_ordered_with_their_numbers_by_value():
    communes = ["Paris 19e", "Paris 1er", "Paris 20e", "Paris 2e", "Écully", "Rezé", "Nantes"]
    assert sorted(communes, key=places.natural_key) == [
        "Écully", "Nantes", "Paris 1er", "Paris 2e", "Paris 19e", "Paris 20e", "Rezé"
    ]  # fmt: skip
    assert sorted(["Lot 10 B", "Lot 9 B", "Lot 9 A"], key=places.natural_key) == [
        "Lot 9 A", "Lot 9 B", "Lot 10 B"
    ]  # fmt: skip
