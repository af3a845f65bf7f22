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
