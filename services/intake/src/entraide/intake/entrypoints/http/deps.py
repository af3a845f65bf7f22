"""What intake's routes and pages use, by type: `app.py` provides each one once."""

from typing import Annotated

from fastapi import Depends

from entraide.intake.usecases.casework import Casework
from entraide.intake.usecases.duplicates import Flagging
from entraide.intake.usecases.partner_door import PartnerDoor
from entraide.kit.deps import provided
from entraide.kit.pages import Pages
from entraide.kit.protect import RateLimits

CaseworkDep = Annotated[Casework, Depends(provided(Casework))]
# the partner doors write through it: a partner cannot confirm a family is another one
PartnerWritesDep = Annotated[Flagging, Depends(provided(Flagging))]
PartnerDoorDep = Annotated[PartnerDoor, Depends(provided(PartnerDoor))]
RateLimitsDep = Annotated[RateLimits, Depends(provided(RateLimits))]
PagesDep = Annotated[Pages, Depends(provided(Pages))]
