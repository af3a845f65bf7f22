"""Intake's staff API: JSON in, a use case, the outbox does the rest."""

from fastapi import APIRouter, Request, status

from entraide.contracts.vocab import RequestChannel
from entraide.intake import service
from entraide.intake.schemas import RequestCreated, RequestIn

router = APIRouter(prefix="/api/v1", tags=["requests"])


@router.post("/requests", status_code=status.HTTP_201_CREATED, response_model=RequestCreated)
async def submit_request(body: RequestIn, request: Request) -> RequestCreated:
    """Record a family and its request for support; matching hears of it through the outbox."""
    recorded = await service.record_request(
        request.app.state.families,
        request.app.state.keys,
        body,
        association_id=body.association_id,
        channel=RequestChannel.STAFF_API,
    )
    request.app.state.relay.wake()
    return RequestCreated(request_id=recorded.request_id)
