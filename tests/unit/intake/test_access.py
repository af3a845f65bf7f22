"""Who sees which family: the store's query says what the rule (`Scope`) says, for every role."""

import itertools
from types import SimpleNamespace

import pytest

from entraide.intake.adapters import documents
from entraide.intake.usecases import access
from entraide.kit.auth import Principal, Role

PEOPLE = [
    Principal(
        subject="s1", name="Claire", role=Role.STAFF, association_id="ppm", territories=("44",)
    ),
    Principal(
        subject="s2",
        name="Yanis",
        role=Role.COORDINATOR,
        association_id="ppm",
        territories=("44", "75"),
    ),
    Principal(subject="s3", name="Inès", role=Role.NETWORK, association_id=None, territories=()),
    Principal(subject="s4", name="Marc", role=Role.DPO, association_id=None, territories=()),
    Principal(
        subject="s5", name="Léa", role=Role.NETWORK, association_id=None, territories=("59",)
    ),
]
FAMILIES = [
    SimpleNamespace(association_id=a, departement=d, shared_with=s)
    for a, d, s in itertools.product(["ppm", "afev", None], ["44", "75", "59", "58"], [[], ["ppm"]])
]


def matches(query: dict, family: SimpleNamespace) -> bool:
    """The subset of MongoDB query semantics `scope_filter` uses: equality (on a value or
    inside an array), `$in` and `$or`."""
    for field, wanted in query.items():
        if field == "$or":
            if not any(matches(branch, family) for branch in wanted):
                return False
            continue
        value = getattr(family, field, None)
        if isinstance(value, list):
            if wanted not in value:
                return False
        elif isinstance(wanted, dict):
            if value not in wanted["$in"]:
                return False
        elif value != wanted:
            return False
    return True


@pytest.mark.parametrize("principal", PEOPLE, ids=lambda p: p.name)
def test_the_store_query_agrees_with_the_rule(principal: Principal) -> None:
    query = documents.scope_filter(access.scope_of(principal))
    for family in FAMILIES:
        assert matches(query, family) == access.can_see(principal, family), family


def test_staff_see_their_associations_families_and_those_shared_by_a_match_in_their_territory() -> (
    None
):
    claire = PEOPLE[0]
    visible = [f for f in FAMILIES if access.can_see(claire, f)]
    assert {(f.association_id, f.departement) for f in visible} == {
        ("ppm", "44"),
        ("afev", "44"),
        (None, "44"),
    }
    assert all(f.shared_with or f.association_id == "ppm" for f in visible)


def test_the_network_coordinator_sees_families_no_association_has_yet() -> None:
    unassigned = SimpleNamespace(association_id=None, departement="58", shared_with=[])
    assert access.can_see(PEOPLE[2], unassigned)
    assert not access.can_see(PEOPLE[4], unassigned)
