"""Who may see which family: the one place for the rule.

Staff and an association's coordinator see the families their association recorded in
their territories; the network's coordinator and the data-protection officer see every
family of their territories (all of them when none is set). An accepted match shares the
family with the volunteer's or offer's association until the match ends (`sharing`).
"""

from typing import Any

from entraide.contracts.kit.auth import Principal, Role

NETWORK_WIDE = frozenset({Role.NETWORK, Role.DPO})


def can_see(principal: Principal, family: dict[str, Any]) -> bool:
    """Whether this staff member may open this family's record."""
    departement = family.get("departement", "")
    if principal.covers(family.get("association_id"), departement):
        return True
    shared = principal.association_id in family.get("shared_with", ())
    return shared and principal.covers(principal.association_id, departement)


def scope_filter(principal: Principal) -> dict[str, Any]:
    """`can_see` as a store query, for lists and searches."""
    query: dict[str, Any] = {}
    if principal.territories:
        query["departement"] = {"$in": list(principal.territories)}
    if principal.role not in NETWORK_WIDE:
        query["$or"] = [
            {"association_id": principal.association_id},
            {"shared_with": principal.association_id},
        ]
    return query


def may_record(principal: Principal, association_id: str | None, departement: str) -> bool:
    """Staff record families for their own association, in their own territories."""
    return principal.covers(association_id, departement)
