"""Intake's HTTP API: JSON in, a command to the store, the outbox does the rest."""

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request, status

from entraide.contracts import new_event
from entraide.contracts.vocab import RequestChannel
from entraide.intake import domain
from entraide.intake.schemas import RequestCreated, RequestIn

router = APIRouter(prefix="/api/v1", tags=["requests"])
SOURCE = "/entraide/intake"


@router.post("/requests", status_code=status.HTTP_201_CREATED, response_model=RequestCreated)
async def submit_request(body: RequestIn, request: Request) -> RequestCreated:
    """Record a family and its request for support; matching hears of it through the outbox."""
    now = datetime.now(UTC)
    request_id, family_ref = domain.new_request_id(), domain.new_family_ref()
    payload = domain.submitted_event(
        request_id=request_id,
        family_ref=family_ref,
        postal_code=body.postal_code,
        children_birth_years=[c.birth_year for c in body.children],
        needs=body.needs,
        availability=body.availability,
        languages=body.languages,
        signs=set(body.signs),
        association_id=body.association_id,
        channel=RequestChannel.STAFF_API,
        consent_to_matching=body.consent.matching,
        at=now,
    )
    family: dict[str, Any] = {
        "_id": family_ref,
        "family_ref": family_ref,
        "parent": body.parent.model_dump(),
        "children": [c.model_dump() for c in body.children],
        "postal_code": body.postal_code,
        "commune": body.commune,
        "languages": body.languages,
        "contact_preferences": body.contact_preferences,
        "consent": body.consent.model_dump(),
        "created_at": now,
        "last_contact_at": now,
    }
    stored_request = {
        "request_id": request_id,
        "status": "submitted",
        "revision": payload.revision,
        "needs": payload.needs,
        "availability": [s.model_dump() for s in body.availability],
        "signs": body.signs,
        "urgency": payload.urgency,
        "notes": body.notes,
        "association_id": body.association_id,
        "channel": payload.channel,
        "submitted_at": now,
    }
    event = new_event(payload, source=SOURCE, subject=family_ref)
    await request.app.state.families.add_family(family, stored_request, [event])
    request.app.state.relay.wake()
    return RequestCreated(request_id=request_id)
