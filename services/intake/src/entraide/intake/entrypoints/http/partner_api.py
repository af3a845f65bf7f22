"""The partners' HTTP door: signed CloudEvents in, one request per partner event.

Every signed request counts against its partner's quota (`usecases.partner_door`, shared
by the replicas through the store), whatever address it comes from: two partners behind
one NAT keep their own. Requests that fail authentication count against their address instead
(the kit's in-memory limiter, `ENTRAIDE_PUBLIC_RATE_LIMIT`): a client guessing or
misconfigured is slowed down without touching the partners' quotas.
"""

import contextlib
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any, TypeVar

from fastapi import APIRouter, HTTPException, Request, Response
from pydantic import BaseModel, ValidationError

from entraide.intake.domain import partners
from entraide.intake.domain.family import ConflictError, NotFoundError
from entraide.intake.domain.partners import Partner
from entraide.intake.entrypoints.http.deps import (
    CaseworkDep,
    PartnerDoorDep,
    PartnerWritesDep,
    RateLimitsDep,
)
from entraide.intake.entrypoints.http.schemas import ConsentChange, PartnerWithdrawal
from entraide.intake.entrypoints.partner_event import PartnerEvent, json_schema
from entraide.intake.usecases import consent, partner_requests
from entraide.intake.usecases.partner_door import QUOTA_EXCEEDED, Refused
from entraide.kit.protect import RateLimits
from entraide.kit.service import field_errors

router = APIRouter(prefix="/api/v1/partner-events", tags=["partners"])
Body = TypeVar("Body", bound=BaseModel)

KEY_HEADER = "X-Entraide-Partner"
TIMESTAMP_HEADER = "X-Entraide-Timestamp"
SIGNATURE_HEADER = "X-Entraide-Signature"
JSON_TYPES = ["application/cloudevents+json", "application/json"]


class PartnerAck(BaseModel):
    event_id: str
    request_id: str
    duplicate: bool


class PartnerStatus(BaseModel):
    event_id: str
    request_id: str
    status: str
    orientation: str | None = None  # matching's latest step (proposed, waitlisted...)


class PartnerConsent(BaseModel):
    event_id: str
    matching: bool
    requests_revised: int


FAILURES_DOOR = "partner-door-failures"
DOOR_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {
        "description": "Not signed by a known partner: missing-signature, unknown-partner, "
        "bad-timestamp, stale-timestamp, bad-signature"
    },
    429: {
        "description": "quota-exceeded: past this partner's quota (`quota`: per_minute, "
        "burst); rate-limited: too many unsigned or badly signed requests from this address. "
        "Wait Retry-After seconds, then send the same request again"
    },
}


async def _admitted(
    request: Request, body: bytes, door: PartnerDoorDep, limits: RateLimitsDep
) -> Partner:
    """The signing partner, within its quota; 401 (or 429 past the address's failures) if
    the signature does not hold, 429 `quota-exceeded` past the partner's quota."""
    admitted = await door.admit(
        request.headers.get(KEY_HEADER, ""),
        request.headers.get(TIMESTAMP_HEADER),
        request.headers.get(SIGNATURE_HEADER),
        body,
        now=datetime.now(UTC),
    )
    if not isinstance(admitted, Refused):
        return admitted
    if admitted.code == QUOTA_EXCEEDED and admitted.quota is not None:
        raise HTTPException(
            429,
            detail={"code": QUOTA_EXCEEDED, "quota": admitted.quota.model_dump()},
            headers={"Retry-After": str(admitted.retry_after)},
        )
    raise await _unauthenticated(request, admitted.code, limits)


async def _unauthenticated(request: Request, problem: str, limits: RateLimits) -> HTTPException:
    """401 naming the problem, or 429 once this address has failed too often (counted by
    every replica: the store's buckets, as the public doors' limits)."""
    client = request.client.host if request.client else "unknown"
    wait = await limits.admit(FAILURES_DOOR, client)
    if wait is not None:
        return HTTPException(
            429, detail={"code": "rate-limited"}, headers={"Retry-After": str(wait)}
        )
    return HTTPException(401, detail={"code": problem})


@router.get("/schema", summary="The published JSON Schema of partner events")
async def schema() -> dict[str, Any]:
    return json_schema()


@router.post(
    "",
    status_code=201,
    response_model=PartnerAck,
    responses={
        200: {"description": "already received: the same request"},
        415: {"description": "Not JSON: application/cloudevents+json or application/json"},
        **DOOR_RESPONSES,
    },
)
async def receive(
    request: Request,
    response: Response,
    door: PartnerDoorDep,
    limits: RateLimitsDep,
    writes: PartnerWritesDep,
    casework: CaseworkDep,
) -> Any:
    """Receive a signed partner event; the same event id again answers the same request."""
    media_type = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    if media_type not in JSON_TYPES:
        raise HTTPException(415, detail={"code": "unsupported-media-type", "expected": JSON_TYPES})
    partner, event = await _signed_body(request, door, limits, PartnerEvent)
    if event.source != partner.source:
        raise HTTPException(403, detail={"code": "wrong-source", "expected": partner.source})
    recorded = await partner_requests.ingest_partner_event(
        writes, casework.keys, event.submission()
    )
    response.status_code = 201 if recorded.created else 200
    return PartnerAck(
        event_id=event.id, request_id=recorded.request_id, duplicate=not recorded.created
    )


@router.post(
    "/{event_id}/consent",
    response_model=PartnerConsent,
    responses={
        404: {"description": "No request from this partner's event"},
        409: {"description": "The family changed meanwhile: send again"},
        **DOOR_RESPONSES,
    },
)
async def consent_changed(
    event_id: str,
    request: Request,
    door: PartnerDoorDep,
    limits: RateLimitsDep,
    casework: CaseworkDep,
) -> Any:
    """The parent's consent, as the partner collected it now, for the family of one of its
    own events (signed like an event): `matching` false withdraws it, the open match ends
    and nothing more is proposed; true gives it back."""
    partner, change = await _signed_body(request, door, limits, ConsentChange)
    family_id = partners.family_id(partner.source, event_id)
    with _about(event_id):
        revised = await consent.from_partner(
            casework.uow, casework.audit, family_id, change.given(), source=partner.source
        )
    return PartnerConsent(
        event_id=event_id, matching=change.consent.matching, requests_revised=revised
    )


@router.post(
    "/{event_id}/withdrawal",
    response_model=PartnerStatus,
    responses={
        404: {"description": "No request from this partner's event"},
        409: {"description": "The family changed meanwhile: send again"},
        **DOOR_RESPONSES,
    },
)
async def withdrawal(
    event_id: str,
    request: Request,
    door: PartnerDoorDep,
    limits: RateLimitsDep,
    casework: CaseworkDep,
) -> Any:
    """The partner withdraws the request one of its own events sent (signed like an event):
    the family was housed, moved, or found help elsewhere. Matching stops; sent again, it
    changes nothing more."""
    partner, wish = await _signed_body(request, door, limits, PartnerWithdrawal)
    with _about(event_id):
        done = await partner_requests.withdraw(
            casework.uow, casework.audit, partner.source, event_id, wish.given()
        )
    return _status(event_id, done)


@router.get("/{event_id}", response_model=PartnerStatus, responses=DOOR_RESPONSES)
async def status(
    event_id: str,
    request: Request,
    door: PartnerDoorDep,
    limits: RateLimitsDep,
    casework: CaseworkDep,
) -> PartnerStatus:
    """What became of one of the partner's own events (signed like a POST with an empty body)."""
    partner = await _admitted(request, b"", door, limits)
    found = await partner_requests.status_of(casework.families, partner.source, event_id)
    if found is None:
        raise HTTPException(404, detail={"code": "unknown-event", "event_id": event_id})
    return _status(event_id, found)


async def _signed_body(
    request: Request, door: PartnerDoorDep, limits: RateLimitsDep, model: type[Body]
) -> tuple[Partner, Body]:
    """The signing partner (`_admitted`) and what it sent as `model`: 422 naming the
    fields at fault."""
    body = await request.body()
    partner = await _admitted(request, body, door, limits)
    try:
        return partner, model.model_validate_json(body)
    except ValidationError as exc:
        raise HTTPException(422, detail=field_errors(exc.errors())) from None


@contextlib.contextmanager
def _about(event_id: str) -> Iterator[None]:
    """A use case on the family of the partner's event: 404 if there is none, 409 if it
    changed meanwhile (send again)."""
    try:
        yield
    except NotFoundError:
        raise HTTPException(404, detail={"code": "unknown-event", "event_id": event_id}) from None
    except ConflictError:
        raise HTTPException(409, detail={"code": "changed-meanwhile"}) from None


def _status(event_id: str, found: partner_requests.PartnerStatus) -> PartnerStatus:
    return PartnerStatus(
        event_id=event_id,
        request_id=found.request_id,
        status=found.status,
        orientation=found.orientation,
    )
