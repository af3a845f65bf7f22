"""Who reads the observatory: the network's coordination and public actors or funders
(every territory, anonymous figures only); refreshing is the coordination's."""

from typing import Annotated

from fastapi import Depends

from entraide.kit.auth import Principal, Role, require_role

READERS = (Role.NETWORK, Role.FUNDER)
Reader = Annotated[Principal, Depends(require_role(*READERS))]
Coordination = Annotated[Principal, Depends(require_role(Role.NETWORK))]


def may_read(principal: Principal) -> bool:
    """Whether this person reads the observatory at all."""
    return principal.role in READERS
