"""Who may see and decide which match: the one place for the rule.

An association's coordinator decides on the proposals of their association's volunteers
and offers, for families of their territories; the network's coordinator may act
everywhere in theirs. Staff see their association's queue without deciding.
"""

from dataclasses import dataclass
from typing import Any

from entraide.kit.principal import Principal, Role
from entraide.matching.domain.lifecycle import State

DECIDERS = frozenset({Role.COORDINATOR, Role.NETWORK})
# who works the queues (proposals, supports): an association's staff and coordinators, the
# network's coordination; neither the DPO nor a funder (the observatory's figures only)
QUEUE_ROLES = frozenset({Role.STAFF, Role.COORDINATOR, Role.NETWORK})
NETWORK_WIDE = frozenset({Role.NETWORK, Role.DPO})


def can_see(principal: Principal, match: dict[str, Any]) -> bool:
    return principal.covers(match.get("association_id"), match.get("departement", ""))


def can_decide(principal: Principal, match: dict[str, Any]) -> bool:
    return principal.role in DECIDERS and can_see(principal, match)


def can_see_request(
    principal: Principal, view: dict[str, Any], open_match: dict[str, Any] | None
) -> bool:
    """A request as matching knows it: for the association that recorded it, in its
    territories, for the association its open match proposes, and for the network."""
    departement = view.get("departement", "")
    if principal.covers(view.get("association_id"), departement):
        return True
    return open_match is not None and can_see(principal, open_match)


def may_open_family(principal: Principal, match: dict[str, Any], recorded_by: str | None) -> bool:
    """Whether intake will open the family's record to this person: the association that
    recorded it, the one an accepted match shares it with, the network (intake decides)."""
    if principal.role in NETWORK_WIDE:
        return True
    mine = principal.association_id
    shared = match.get("state") in {State.ACCEPTED.value, State.STARTED.value}
    return mine is not None and (
        mine == recorded_by or (shared and mine == match.get("association_id"))
    )


def may_open_volunteer(principal: Principal, association_id: str) -> bool:
    """Whether directory shows the volunteer: their association's staff, the network's
    coordination (directory decides)."""
    return principal.role is Role.NETWORK or principal.association_id == association_id


@dataclass(frozen=True)
class Scope:
    """Whose matches and waiting families a person sees, as the store filters them: those
    of these territories (empty: every one) and, unless network-wide, of one association
    (`association_id`, None: of none)."""

    territories: tuple[str, ...]
    network_wide: bool
    association_id: str | None = None


def scope_of(principal: Principal) -> Scope:
    """`can_see` as a scope the store filters by."""
    network_wide = principal.role in NETWORK_WIDE
    return Scope(principal.territories, network_wide, principal.association_id)


def waitlist_scope(principal: Principal) -> Scope:
    """Waiting families a coordinator may pick for one of their supports: their territories."""
    return Scope(principal.territories, network_wide=True)
