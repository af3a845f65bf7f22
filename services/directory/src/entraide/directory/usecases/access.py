"""Who may change or see an association's records: its staff, and the network's."""

from entraide.directory.domain.records import ForbiddenError, may_edit
from entraide.kit.principal import Principal, Role

# the association's space: its staff and coordinators, the network's coordination (who may
# see its records); neither the DPO nor a funder (the observatory's figures only)
SPACE_ROLES = frozenset({Role.STAFF, Role.COORDINATOR, Role.NETWORK})


def check(principal: Principal, association_id: str) -> None:
    """ForbiddenError unless the principal may edit this association's records."""
    if not may_edit(
        role=principal.role.value,
        own_association=principal.association_id,
        record_association=association_id,
    ):
        raise ForbiddenError(association_id)


def may_see(principal: Principal, association_id: str) -> bool:
    """Their association's staff and the network's coordination see its records."""
    try:
        check(principal, association_id)
    except ForbiddenError:
        return False
    return True
