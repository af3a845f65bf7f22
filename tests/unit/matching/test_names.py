"""The names coordinators read on matching's pages, in French sentences: an association
after « de » or « par » takes its article where French gives it one."""

from entraide.kit.principal import Principal, Role
from entraide.matching.entrypoints.http.names import Names

COORDINATOR = Principal(
    subject="s1", name="Claire", role=Role.COORDINATOR, association_id="unaf", territories=("58",)
)
NAMES = Names(
    requests=None,  # type: ignore[arg-type]  # volunteer() and family() read none
    offers=None,  # type: ignore[arg-type]
    volunteers=None,  # type: ignore[arg-type]
    intake_url="http://intake",
    directory_url="http://directory",
)


def test_a_volunteer_of_an_association_named_with_its_article() -> None:
    unaf = {"association_id": "unaf", "postal_code": "44000", "languages": ["fr"]}
    shown = NAMES.volunteer(COORDINATOR, "v1", unaf)
    assert shown.label == "Bénévole de l'UNAF"
    assert shown.detail == "Nantes (44000) · parle français"  # where, in words
    ppm = {"association_id": "parrains-par-mille", "postal_code": "44000"}
    assert NAMES.volunteer(COORDINATOR, "v2", ppm).label == "Bénévole de Parrains Par Mille"


def test_the_association_following_a_family_named_with_its_article() -> None:
    match = {"family_ref": "f1", "departement": "58", "association_id": "unaf"}
    view = {"postal_code": "58000", "association_id": "centres-sociaux"}
    shown = NAMES.family(COORDINATOR, match, view)
    assert shown.detail == "suivie par la Fédération des centres sociaux"


def test_a_family_reads_its_commune_and_childrens_ages_in_words() -> None:
    match = {"family_ref": "f1", "departement": "44", "association_id": "parrains-par-mille"}
    view = {"postal_code": "44000", "children_age_bands": ["6-10", "3-5", "6-10"]}
    shown = NAMES.family(COORDINATOR, match, view)
    assert shown.label == "Famille à Nantes (44000)"
    assert shown.detail == "enfants de 3 à 5 ans et de 6 à 10 ans"


def test_three_age_bands_read_as_a_list() -> None:
    view = {"postal_code": "75011", "children_age_bands": ["18+", "0-2", "11-14"]}
    shown = NAMES.family(COORDINATOR, {"family_ref": "f1", "departement": "75"}, view)
    assert shown.label == "Famille à Paris (75011)"
    assert shown.detail == "enfants de 0 à 2 ans, de 11 à 14 ans et de 18 ans et plus"


def test_a_postal_code_several_communes_share_names_the_main_one_and_around() -> None:
    """58000 is Nevers' and three smaller communes': the family may live in any."""
    view = {"postal_code": "58000"}
    shown = NAMES.family(COORDINATOR, {"family_ref": "f1", "departement": "58"}, view)
    assert shown.label == "Famille à Nevers ou alentours (58000)"


def test_a_postal_code_no_commune_has_is_shown_as_it_is() -> None:
    shown = NAMES.family(COORDINATOR, {"family_ref": "f1"}, {"postal_code": "00000"})
    assert shown.label == "Famille à 00000"
    assert shown.detail == ""
