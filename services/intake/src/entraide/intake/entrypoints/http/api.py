"""Intake's staff API: JSON in, a use case, the outbox does the rest. Bearer tokens only
carry the same scopes as the pages: an association's staff, in their territories."""

from dataclasses import asdict
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, status
from fastapi.responses import JSONResponse
from pydantic import TypeAdapter

from entraide.contracts.vocab import RequestChannel
from entraide.intake.domain import orientation
from entraide.intake.domain.family import ConflictError, Family, FamilySummary, NotFoundError
from entraide.intake.domain.requests import departement_of
from entraide.intake.entrypoints.http.deps import CaseworkDep, Caseworker, DeskDep, RecordReader
from entraide.intake.entrypoints.http.schemas import (
    AnotherRequestIn,
    ConsentChange,
    ConsentChanged,
    DuplicateSummary,
    PossibleDuplicates,
    RequestCreated,
    RequestIn,
    SharingOverridden,
    SharingOverrideIn,
)
from entraide.intake.usecases import access, another_request, recording, sharing
from entraide.kit.auth import Principal, api_principal
from entraide.kit.lean_route import LeanRoute
from entraide.kit.principal import Permission

router = APIRouter(prefix="/api/v1", tags=["requests"])
Staff = Annotated[Principal, Depends(api_principal)]
_TIME = TypeAdapter(datetime)


async def _may_override(principal: Staff) -> Principal:
    """The caller, if they hold the permission to share without consent (checked before
    the body, so anyone else gets 403 whatever they send)."""
    if not principal.may(Permission.SHARE_WITHOUT_CONSENT):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "needs the share-without-consent permission")
    return principal


Overrider = Annotated[Principal, Depends(_may_override)]


async def submit_request(body: RequestIn, desk: DeskDep) -> Any:
    """Record a family and its request for support; matching hears of it through the outbox.
    A family that looks like one already known is recorded only once the caller confirms
    it is another (`confirm_new`), as on the pages: flagged, never merged."""
    principal, casework = desk.principal, desk.casework
    if not access.may_record(principal, body.association_id, departement_of(body.postal_code)):
        raise HTTPException(
            status.HTTP_403_FORBIDDEN,
            "association_id and postal_code must be your association's, in your territories",
        )
    recorded, duplicates = await recording.record_unless_known(
        casework.uow,
        casework.keys,
        body.details(),
        confirm_new=body.confirm_new,
        association_id=body.association_id,
        channel=RequestChannel.STAFF_API,
        recorded_by=principal.subject,
    )
    if recorded is None:
        found = duplicates_answer(principal, duplicates)
        return JSONResponse(found.model_dump(mode="json"), status_code=status.HTTP_409_CONFLICT)
    return RequestCreated(request_id=recorded.request_id, possible_duplicates=len(duplicates))


router.add_api_route(  # lean: called without FastAPI's solving (the busiest route)
    "/requests",
    submit_request,
    methods=["POST"],
    status_code=status.HTTP_201_CREATED,
    response_model=RequestCreated,
    responses={
        409: {
            "model": PossibleDuplicates,
            "description": "Families already known look like this one (same name, phone or "
            "e-mail): nothing recorded; send again with confirm_new true once reviewed",
        }
    },
    route_class_override=LeanRoute,
)


def duplicates_answer(principal: Principal, duplicates: list[FamilySummary]) -> PossibleDuplicates:
    """The 409's body: summaries of those in the caller's scope, a count of the others."""
    visible = [d for d in duplicates if access.can_see(principal, d)]
    return PossibleDuplicates(
        possible_duplicates=[
            DuplicateSummary(
                family_id=d.id,
                association_id=d.association_id,
                departement=d.departement,
                created_at=d.created_at,
                request_ids=[r.request_id for r in d.requests],
            )
            for d in visible
        ],
        out_of_scope=len(duplicates) - len(visible),
    )


@router.get("/families/{family_id}", tags=["families"])
async def family(family_id: str, principal: RecordReader, casework: CaseworkDep) -> dict[str, Any]:
    """A family's record in clear, for staff in scope; the read is audited first."""
    try:
        record = await casework.open(principal, family_id, via="api")
    except NotFoundError:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no such family in your scope") from None
    f: Family = record.family
    flagged = await casework.families.summaries(f.possible_duplicates)
    shown = [d.id for d in flagged if access.can_see(principal, d)]
    return {
        "family_id": f.id,
        "family_ref": f.family_ref,
        "association_id": f.association_id,
        "departement": f.departement,
        "identity": record.identity,
        "children": [{"birth_year": year} for year in f.children_birth_years],
        "postal_code": f.postal_code,
        "languages": f.languages,
        "consent": asdict(f.consent)
        | {"collected_at": _TIME.dump_python(f.consent.collected_at, mode="json")},
        "last_contact_at": f.last_contact_at,
        # the flagged families this caller may open; the others only counted
        "possible_duplicates": sorted(shown),
        "possible_duplicates_out_of_scope": len(f.possible_duplicates) - len(shown),
        "requests": [
            {
                "request_id": r.request_id,
                "status": r.status,
                "revision": r.revision,
                "needs": r.needs,
                "availability": r.availability,
                "signs": r.signs,
                "urgency": r.urgency,
                "notes": record.notes.get(r.request_id),
                "orientation": [
                    asdict(step) for step in orientation.history(f.orientation, r.request_id)
                ],
            }
            for r in f.requests
        ],
        "contacts": [
            {"day": c.day, "noted_at": c.noted_at, "channel": c.channel, "note": note}
            for c, note in zip(f.contacts, record.contact_notes, strict=False)
        ],
    }


@router.post(
    "/families/{family_id}/requests",
    tags=["families"],
    status_code=status.HTTP_201_CREATED,
    response_model=RequestCreated,
    responses={404: {"description": "No such family in your scope"}},
)
async def another_request_of(
    family_id: str, body: AnotherRequestIn, principal: Caseworker, casework: CaseworkDep
) -> RequestCreated:
    """Another request of a family already known (it asks for something else, or again):
    on its record, announced for orientation, never a second family. The consent sent
    with it is recorded (given back, its other open requests follow)."""
    try:
        request_id = await another_request.add_request(
            casework, principal, family_id, body.wish(), channel=RequestChannel.STAFF_API, via="api"
        )
    except NotFoundError:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no such family in your scope") from None
    except ConflictError:
        raise HTTPException(status.HTTP_409_CONFLICT, "the family changed: try again") from None
    return RequestCreated(request_id=request_id)


@router.put(
    "/families/{family_id}/consent",
    tags=["families"],
    response_model=ConsentChanged,
    responses={404: {"description": "No such family in your scope"}},
)
async def change_consent(
    family_id: str, body: ConsentChange, principal: RecordReader, casework: CaseworkDep
) -> ConsentChanged:
    """Record the parent's consent as collected now: `matching` false withdraws it (the
    open match ends, nothing more is proposed; privacy's registry notes it), true gives
    it back. Refused at the first recording only, where a request needs it."""
    try:
        revised = await casework.change_consent(principal, family_id, body.given(), via="api")
    except NotFoundError:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no such family in your scope") from None
    except ConflictError:
        raise HTTPException(status.HTTP_409_CONFLICT, "the family changed: try again") from None
    return ConsentChanged(
        family_id=family_id,
        matching=body.consent.matching,
        sharing=body.consent.sharing,
        requests_revised=revised,
    )


@router.post(
    "/families/{family_id}/sharing-overrides",
    tags=["families"],
    status_code=status.HTTP_201_CREATED,
    response_model=SharingOverridden,
    responses={403: {"description": "Needs the permission share-without-consent"}},
)
async def override_sharing(
    family_id: str, body: SharingOverrideIn, principal: Overrider, casework: CaseworkDep
) -> SharingOverridden:
    """Open a family's record to an association although the family did not consent to
    sharing: the network coordination only (permission `share-without-consent`), for a
    stated reason, written to the audit log before anything changes."""
    if not await sharing.override(
        casework.families, casework.audit, principal, family_id, body.association_id, body.reason
    ):
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no such family")
    return SharingOverridden(
        family_id=family_id, shared_with=body.association_id, reason=body.reason
    )
