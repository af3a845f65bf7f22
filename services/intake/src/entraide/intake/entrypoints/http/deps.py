"""What intake's routes and pages use, by type: `app.py` provides each one once."""

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from entraide.intake.usecases.access import CASEWORK, RECORD_READERS
from entraide.intake.usecases.casework import Casework
from entraide.intake.usecases.duplicates import Flagging
from entraide.intake.usecases.partner_door import PartnerDoor
from entraide.kit.auth import Principal, require_role
from entraide.kit.deps import provided
from entraide.kit.pages import Pages
from entraide.kit.protect import RateLimits
from entraide.kit.rectification_statements import PrivacyStatements

CaseworkDep = Annotated[Casework, Depends(provided(Casework))]
# the partner doors write through it: a partner cannot confirm a family is another one
PartnerWritesDep = Annotated[Flagging, Depends(provided(Flagging))]
PartnerDoorDep = Annotated[PartnerDoor, Depends(provided(PartnerDoor))]
RateLimitsDep = Annotated[RateLimits, Depends(provided(RateLimits))]
PagesDep = Annotated[Pages, Depends(provided(Pages))]
# a rectification's words, read from privacy as the flagged record or request is shown
StatementsDep = Annotated[PrivacyStatements, Depends(provided(PrivacyStatements))]
# who is calling, if their role opens the route (else 403, the kit's « Accès refusé »)
Caseworker = Annotated[Principal, Depends(require_role(*CASEWORK))]
RecordReader = Annotated[Principal, Depends(require_role(*RECORD_READERS))]


_caseworker = require_role(*CASEWORK)
_casework = provided(Casework)


@dataclass(frozen=True)
class Desk:
    """A caseworker and the casework they record with."""

    principal: Principal
    casework: Casework


async def _desk(request: Request) -> Desk:
    """`Caseworker` and `CaseworkDep` in one dependency (same checks, same answers): each
    dependency costs FastAPI a resolution of its own, on the staff API's busiest route."""
    return Desk(await _caseworker(request), await _casework(request))


DeskDep = Annotated[Desk, Depends(_desk)]
