"""Intake's staff API: JSON in, a use case, the outbox does the rest. Bearer tokens only
carry the same scopes as the pages: an association's staff, in their territories."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request, status

from entraide.contracts.kit.auth import Principal, api_principal
from entraide.contracts.kit.principal import Permission
from entraide.contracts.vocab import RequestChannel
from entraide.intake import access, domain, service, sharing
from entraide.intake.records import NotFoundError
from entraide.intake.schemas import (
    RequestCreated,
    RequestIn,
    SharingOverridden,
    SharingOverrideIn,
)

router = APIRouter(prefix="/api/v1", tags=["requests"])
Staff = Annotated[Principal, Depends(api_principal)]


def _may_override(principal: Staff) -> Principal:
    """The caller, if they hold the permission to share without consent (checked before
    the body, so anyone else gets 403 whatever they send)."""
    if not principal.may(Permission.SHARE_WITHOUT_CONSENT):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "needs the share-without-consent permission")
    return principal


Overrider = Annotated[Principal, Depends(_may_override)]


@router.post("/requests", status_code=status.HTTP_201_CREATED, response_model=RequestCreated)
async def submit_request(body: RequestIn, request: Request, principal: Staff) -> RequestCreated:
    """Record a family and its request for support; matching hears of it through the outbox."""
    if not access.may_record(
        principal, body.association_id, domain.departement_of(body.postal_code)
    ):
        raise HTTPException(
            status.HTTP_403_FORBIDDEN,
            "association_id and postal_code must be your association's, in your territories",
        )
    recorded = await service.record_request(
        request.app.state.families,
        request.app.state.keys,
        body,
        association_id=body.association_id,
        channel=RequestChannel.STAFF_API,
        recorded_by=principal.subject,
    )
    request.app.state.relay.wake()
    return RequestCreated(request_id=recorded.request_id)


@router.get("/families/{family_id}", tags=["families"])
async def family(family_id: str, request: Request, principal: Staff) -> dict[str, Any]:
    """A family's record in clear, for staff in scope; the read is audited first."""
    try:
        record = await request.app.state.casework.open(principal, family_id, via="api")
    except NotFoundError:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no such family in your scope") from None
    doc = record.doc
    return {
        "family_id": doc["_id"],
        "family_ref": doc["family_ref"],
        "association_id": doc.get("association_id"),
        "departement": doc.get("departement"),
        "identity": record.identity,
        "children": doc["children"],
        "postal_code": doc["postal_code"],
        "languages": doc["languages"],
        "consent": doc["consent"],
        "last_contact_at": doc["last_contact_at"],
        "possible_duplicates": doc.get("possible_duplicates", []),
        "requests": [
            {
                k: r.get(k)
                for k in ("request_id", "status", "revision", "needs", "availability", "signs")
            }
            | {"urgency": r["urgency"], "notes": record.notes.get(r["request_id"])}
            for r in doc["requests"]
        ],
        "contacts": [
            {"at": c["at"], "channel": c["channel"], "note": note}
            for c, note in zip(doc.get("contacts", []), record.contact_notes, strict=False)
        ],
    }


@router.post(
    "/families/{family_id}/sharing-overrides",
    tags=["families"],
    status_code=status.HTTP_201_CREATED,
    response_model=SharingOverridden,
    responses={403: {"description": "Needs the permission share-without-consent"}},
)
async def override_sharing(
    family_id: str, body: SharingOverrideIn, request: Request, principal: Overrider
) -> SharingOverridden:
    """Open a family's record to an association although the family did not consent to
    sharing: the network coordination only (permission `share-without-consent`), for a
    stated reason, written to the audit log before anything changes."""
    state = request.app.state
    if not await sharing.override(
        state.families, state.audit, principal, family_id, body.association_id, body.reason
    ):
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no such family")
    return SharingOverridden(
        family_id=family_id, shared_with=body.association_id, reason=body.reason
    )
