"""Who may see which family, for a signed-in person: the rule (`domain.access.Scope`)
applied to their role, association and territories.

Staff and an association's coordinator see the families their association recorded in
their territories; the network's coordinator and the data-protection officer see every
family of their territories (all of them when none is set). An accepted match shares the
family with the volunteer's or offer's association until the match ends (`sharing`).

Which pages a role opens at all: recording a family, the list and search and the queue
« À confirmer » are casework (`CASEWORK`); the DPO reads a family's record (audited) but
does not work cases; a funder sees the observatory's anonymous figures, no family at all.
"""

from entraide.intake.domain.access import Located, Scope
from entraide.kit.principal import NETWORK_WIDE, Principal, Role

# who records families and works the lists: associations' staff and coordinators, the network
CASEWORK = frozenset({Role.STAFF, Role.COORDINATOR, Role.NETWORK})
# who may open a family's record (each in their scope): casework and the DPO, not a funder
RECORD_READERS = CASEWORK | {Role.DPO}


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
