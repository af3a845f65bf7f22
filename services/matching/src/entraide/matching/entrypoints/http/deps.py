"""What matching's routes use, by type (`app.py` provides each once)."""

from typing import Annotated

from fastapi import Depends

from entraide.kit.auth import Principal, api_principal, page_principal, require_role
from entraide.kit.deps import provided
from entraide.kit.pages import Pages
from entraide.matching.entrypoints.http.names import Names
from entraide.matching.usecases.access import QUEUE_ROLES
from entraide.matching.usecases.engine import Engine
from entraide.matching.usecases.followups import FollowUps
from entraide.matching.usecases.listings import Listings
from entraide.matching.usecases.waitlist import Waitlist

ApiStaff = Annotated[Principal, Depends(api_principal)]
PageStaff = Annotated[Principal, Depends(page_principal)]
QueueStaff = Annotated[Principal, Depends(require_role(*QUEUE_ROLES))]
EngineDep = Annotated[Engine, Depends(provided(Engine))]
ListingsDep = Annotated[Listings, Depends(provided(Listings))]
WaitlistDep = Annotated[Waitlist, Depends(provided(Waitlist))]
FollowUpsDep = Annotated[FollowUps, Depends(provided(FollowUps))]
NamesDep = Annotated[Names, Depends(provided(Names))]
PagesDep = Annotated[Pages, Depends(provided(Pages))]
