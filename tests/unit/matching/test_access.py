"""Who sees which match: the rule (`usecases.access`) and the store query it becomes
(`adapters.documents.scope_query`) agree, for every kind of person."""

import pytest

from entraide.kit.principal import Principal, Role
from entraide.matching.adapters.documents import scope_query, state_query
from entraide.matching.usecases import access

PEOPLE = [
    Principal(
        subject="s1", name="Claire", role=Role.STAFF, association_id="ppm", territories=("44",)
    ),
    Principal(
        subject="s2",
        name="Yann",
        role=Role.COORDINATOR,
        association_id="afev",
        territories=("44", "93"),
    ),
    Principal(subject="s3", name="Inès", role=Role.NETWORK, association_id=None, territories=()),
    Principal(subject="s4", name="Marc", role=Role.DPO, association_id=None, territories=()),
    Principal(
        subject="s5", name="Léa", role=Role.NETWORK, association_id=None, territories=("59",)
    ),
]
MATCHES = [
    {"association_id": a, "departement": d}
    for a in ("ppm", "afev", None)
    for d in ("44", "93", "59", "75")
]


def covered(query: dict, doc: dict) -> bool:
    """The subset of MongoDB's semantics the scope uses: equality and `$in`."""
    for field, wanted in query.items():
        if isinstance(wanted, dict):
            if doc.get(field) not in wanted["$in"]:
                return False
        elif doc.get(field) != wanted:
            return False
    return True


@pytest.mark.parametrize("principal", PEOPLE, ids=lambda p: p.name)
def test_the_store_query_agrees_with_who_may_see_a_match(principal: Principal) -> None:
    query = scope_query(access.scope_of(principal))
    for match in MATCHES:
        assert covered(query, match) is access.can_see(principal, match), match


@pytest.mark.parametrize("principal", PEOPLE, ids=lambda p: p.name)
def test_the_waitlist_is_shown_by_territory_whatever_the_association(principal: Principal) -> None:
    query = scope_query(access.waitlist_scope(principal))
    for entry in MATCHES:
        wanted = not principal.territories or entry["departement"] in principal.territories
        assert covered(query, entry) is wanted


def test_one_state_is_an_equality_several_an_in() -> None:
    assert state_query(["proposed"]) == {"state": "proposed"}
    assert state_query(["accepted", "started"]) == {"state": {"$in": ["accepted", "started"]}}
