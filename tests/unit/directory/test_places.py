from entraide.directory import places


def test_a_commune_is_found_by_name_without_accents_or_by_postal_code():
    assert places.find("reze").postal_code == "44400"
    assert places.find("93100").commune == "Montreuil"
    assert places.find("Nantes 44300").postal_code == "44300"


def test_an_unknown_place_is_none():
    assert places.find("Atlantide") is None


def test_the_five_departements_are_covered():
    assert {p.departement for p in places.all_places()} == {"75", "93", "44", "59", "58"}
