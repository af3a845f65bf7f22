"""Every département a commune of the reference table lies in has its name."""

from entraide.contracts import departements
from entraide.contracts.geography import communes


def test_every_communes_departement_has_a_name() -> None:
    codes = {commune.departement for commune in communes()}
    assert codes - departements.NAMES.keys() == set()
    assert len(codes) > 100  # the whole of France, not the five first territories


def test_names_read_as_people_write_them() -> None:
    assert departements.name("44") == "Loire-Atlantique"
    assert departements.name("2A") == "Corse-du-Sud"
    assert departements.name("974") == "La Réunion"
    assert departements.name("00") == "00"  # not a département: its code as given


def test_every_departement_has_its_word_for_in() -> None:
    assert {
        code
        for code in departements.NAMES
        if departements.in_departement(code).endswith(departements.NAMES[code])
    } == set(departements.NAMES)


def test_in_a_departement_as_a_french_sentence_says_it() -> None:
    assert departements.in_departement("58") == "dans la Nièvre"
    assert departements.in_departement("59") == "dans le Nord"
    assert departements.in_departement("44") == "en Loire-Atlantique"
    assert departements.in_departement("93") == "en Seine-Saint-Denis"
    assert departements.in_departement("75") == "à Paris"
    assert departements.in_departement("01") == "dans l'Ain"
    assert departements.in_departement("40") == "dans les Landes"
    assert departements.in_departement("974") == "à La Réunion"
    assert departements.in_departement("00") == "dans le département 00"
