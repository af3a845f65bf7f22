"""Matching's HTTP API."""

from typing import Any

from fastapi import APIRouter, HTTPException, Request

router = APIRouter(prefix="/api/v1", tags=["requests"])


@router.get("/requests/{request_id}")
async def get_request(request_id: str, request: Request) -> dict[str, Any]:
    """A request as matching knows it (pseudonymous)."""
    view: dict[str, Any] | None = await request.app.state.views.get(request_id)
    if view is None:
        raise HTTPException(404, detail=f"no request {request_id!r} known to matching yet")
    view["request_id"] = view.pop("_id")
    return view
