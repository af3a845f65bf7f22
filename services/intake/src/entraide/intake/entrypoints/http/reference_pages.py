"""The way in from the other services' pages: matching's proposals name a family by its
pseudonymous reference; staff allowed to open the family's record land on it."""

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse

from entraide.intake.entrypoints.http.deps import CaseworkDep, PagesDep, RecordReader
from entraide.intake.entrypoints.http.record_pages import not_found
from entraide.intake.usecases import access

router = APIRouter(include_in_schema=False)


@router.get("/familles/par-reference/{family_ref}")
async def by_reference(
    request: Request, family_ref: str, principal: RecordReader, work: CaseworkDep, pages: PagesDep
) -> Response:
    """To the family's record (whose opening is audited there), if it is in my scope."""
    family = await work.families.by_ref(family_ref)
    if family is None or not access.can_see(principal, family):
        return not_found(pages, request, principal)
    return RedirectResponse(f"/familles/{family.id}", status_code=303)
