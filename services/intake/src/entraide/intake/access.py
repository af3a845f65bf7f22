"""Who may see which family: the one place for the rule.

Staff and an association's coordinator see the families their association recorded in
their territories; the network's coordinator and the data-protection officer see every
family of their territories (all of them when none is set). An accepted match shares the
family with the volunteer's or offer's association until the match ends (`sharing`).
The rule is a `Scope`, a predicate the store translates into its query for lists.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from entraide.kit.auth import Principal, Role

NETWORK_WIDE = frozenset({Role.NETWORK, Role.DPO})


class Located(Protocol):
    """What the rule looks at in a family (a whole one or a summary)."""

    @property
    def association_id(self) -> str | None: ...
    @property
    def departement(self) -> str: ...
    @property
    def shared_with(self) -> Sequence[str]: ...


@dataclass(frozen=True)
class Scope:
    """The families someone may see: in these départements (all when empty), and, unless
    network-wide, recorded by or shared with this association."""

    departements: frozenset[str]
    network_wide: bool
    association_id: str | None

    def admits(self, family: Located) -> bool:
        if self.departements and family.departement not in self.departements:
            return False
        if self.network_wide:
            return True
        mine = self.association_id
        return mine is not None and (family.association_id == mine or mine in family.shared_with)


def scope_of(principal: Principal) -> Scope:
    """The families this staff member may see."""
    return Scope(
        departements=frozenset(principal.territories),
        network_wide=principal.role in NETWORK_WIDE,
        association_id=principal.association_id,
    )


def can_see(principal: Principal, family: Located) -> bool:
    """Whether this staff member may open this family's record."""
    return scope_of(principal).admits(family)


def may_record(principal: Principal, association_id: str | None, departement: str) -> bool:
    """Staff record families for their own association, in their own territories."""
    return principal.covers(association_id, departement)
