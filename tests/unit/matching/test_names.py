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
    unaf = {"association_id": "unaf", "postal_code": "58000", "languages": ["fr"]}
    assert NAMES.volunteer(COORDINATOR, "v1", unaf).label == "Bénévole de l'UNAF"
    ppm = {"association_id": "parrains-par-mille", "postal_code": "44000"}
    assert NAMES.volunteer(COORDINATOR, "v2", ppm).label == "Bénévole de Parrains Par Mille"


def test_the_association_following_a_family_named_with_its_article() -> None:
    match = {"family_ref": "f1", "departement": "58", "association_id": "unaf"}
    view = {"postal_code": "58000", "association_id": "centres-sociaux"}
    shown = NAMES.family(COORDINATOR, match, view)
    assert shown.detail == "suivie par la Fédération des centres sociaux"
