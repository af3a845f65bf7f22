"""Intake's staff API: JSON in, a use case, the outbox does the rest. Bearer tokens only
carry the same scopes as the pages: an association's staff, in their territories."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request, status

from entraide.contracts.kit.auth import Principal, api_principal
from entraide.contracts.vocab import RequestChannel
from entraide.intake import access, domain, service
from entraide.intake.records import NotFoundError
from entraide.intake.schemas import RequestCreated, RequestIn

router = APIRouter(prefix="/api/v1", tags=["requests"])
Staff = Annotated[Principal, Depends(api_principal)]


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
