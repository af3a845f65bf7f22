"""Who may see what, and which tokens describe a principal at all."""

import pytest

from entraide.kit.devissuer import ACCOUNTS_BY_NAME, DEMO_ACCOUNTS, claims_for
from entraide.kit.principal import (
    InvalidTokenError,
    Principal,
    Role,
    principal_from_claims,
)
from entraide.kit.signin import safe_next

PPM = "parrains-par-mille"


def staff(*territories: str, role: Role = Role.STAFF, association: str = PPM) -> Principal:
    return Principal(
        subject="s1", name="Claire", role=role, association_id=association, territories=territories
    )


def test_staff_covers_their_association_in_their_territory_only() -> None:
    claire = staff("44")
    assert claire.covers(PPM, "44")
    assert not claire.covers(PPM, "75")
    assert not claire.covers("afev", "44")
    assert not claire.covers(None, "44")


def test_association_coordinator_covers_each_of_their_territories() -> None:
    sophie = staff("44", "75", role=Role.COORDINATOR)
    assert sophie.covers(PPM, "44")
    assert sophie.covers(PPM, "75")
    assert not sophie.covers(PPM, "93")
    assert not sophie.covers("afev", "75")


@pytest.mark.parametrize("role", [Role.NETWORK, Role.DPO])
def test_network_coordinator_and_dpo_cover_every_association(role: Role) -> None:
    everywhere = Principal(subject="n", name="Hélène", role=role)
    assert everywhere.covers(PPM, "58")
    assert everywhere.covers(None, "93")
    nord = Principal(subject="n", name="Hélène", role=role, territories=("59",))
    assert nord.covers("afev", "59")
    assert not nord.covers("afev", "58")


def test_staff_without_territories_covers_their_association_everywhere() -> None:
    assert staff().covers(PPM, "58")
    assert not staff().covers("afev", "58")


def test_role_labels_are_french() -> None:
    assert staff("44").role_label == "Équipe"
    assert Principal(subject="d", name="Marc", role=Role.DPO).role_label.startswith("Délégué")


def claims(**changes: object) -> dict[str, object]:
    base = claims_for(ACCOUNTS_BY_NAME["ppm-nantes"], issuer="http://i", audience="entraide")
    return base | changes


def test_claims_give_the_principal() -> None:
    principal = principal_from_claims(claims())
    assert principal.role is Role.STAFF
    assert principal.association_id == PPM
    assert principal.territories == ("44",)
    assert principal.name == "Julien (PPM)"


@pytest.mark.parametrize(
    "changes",
    [
        {"role": "admin"},
        {"role": None},
        {"name": ""},
        {"sub": ""},
        {"association": None},  # staff belong to an association
        {"role": "dpo"},  # and a DPO to none
        {"territories": "44"},
        {"territories": ["Loire-Atlantique"]},
    ],
)
def test_claims_that_describe_no_valid_principal_are_rejected(changes: dict[str, object]) -> None:
    with pytest.raises(InvalidTokenError):
        principal_from_claims(claims(**changes))


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("/familles?page=2", "/familles?page=2"),
        ("https://evil.example/x", "/"),
        ("//evil.example", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
        ("familles", "/"),
        ("/ok\r\nSet-Cookie: x=1", "/"),
        ("", "/"),
    ],
)
def test_after_sign_in_only_local_paths_are_followed(given: str, expected: str) -> None:
    assert safe_next(given) == expected


def test_demo_accounts_are_valid_and_cover_the_network() -> None:
    principals = [
        principal_from_claims(claims_for(a, issuer="i", audience="a")) for a in DEMO_ACCOUNTS
    ]
    assert len({a.username for a in DEMO_ACCOUNTS}) == len(DEMO_ACCOUNTS)
    associations = {p.association_id for p in principals if p.role is Role.COORDINATOR}
    assert associations == {
        PPM,
        "afev",
        "france-parrainages",
        "grands-parrains",
        "fondation-pour-l-enfance",
        "unaf",
        "centres-sociaux",
    }
    territories = {t for p in principals for t in p.territories}
    assert territories == {"75", "93", "44", "59", "58"}
    assert {p.role for p in principals} == set(Role)
