"""What directory's routes and pages use, asked for by type (`app.py` provides it once)."""

from typing import Annotated

from fastapi import Depends

from entraide.directory.usecases.ports import (
    Cards,
    OfferDocuments,
    OfferListing,
    Roster,
    UnitOfWork,
    VolunteerDocuments,
    VolunteerKeyStore,
)
from entraide.directory.usecases.volunteer_news import VolunteerNews
from entraide.directory.usecases.volunteer_space import VolunteerSpace
from entraide.kit.deps import provided
from entraide.kit.pages import Pages

UnitOfWorkDep = Annotated[UnitOfWork, Depends(provided(UnitOfWork))]
CardsDep = Annotated[Cards, Depends(provided(Cards))]
OfferDocumentsDep = Annotated[OfferDocuments, Depends(provided(OfferDocuments))]
OfferListingDep = Annotated[OfferListing, Depends(provided(OfferListing))]
VolunteerDocumentsDep = Annotated[VolunteerDocuments, Depends(provided(VolunteerDocuments))]
VolunteerKeysDep = Annotated[VolunteerKeyStore, Depends(provided(VolunteerKeyStore))]
VolunteerSpaceDep = Annotated[VolunteerSpace, Depends(provided(VolunteerSpace))]
VolunteerNewsDep = Annotated[VolunteerNews, Depends(provided(VolunteerNews))]
RosterDep = Annotated[Roster, Depends(provided(Roster))]
PagesDep = Annotated[Pages, Depends(provided(Pages))]
