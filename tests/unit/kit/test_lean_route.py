"""LeanRoute answers as FastAPI's own route does: the same endpoint declared both ways, the
same requests, the same answers (statuses, bodies, the errors' locations and types)."""

from typing import Annotated, Any

import httpx
import pytest
from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from entraide.kit.lean_route import LeanRoute


class Child(BaseModel):
    birth_year: int = Field(ge=2000)


class Parcel(BaseModel):
    name: str
    children: list[Child]


class Made(BaseModel):
    parcel_id: str = Field(alias="parcelId")
    children: int


calls: list[str] = []


async def caller(request: Request) -> str:
    token = request.headers.get("authorization")
    if token != "Bearer ok":
        raise HTTPException(401, "no token", headers={"WWW-Authenticate": "Bearer"})
    return "staff"


async def audited(request: Request) -> None:
    calls.append(request.url.path)


Caller = Annotated[str, Depends(caller)]


async def make(body: Parcel, who: Caller, request: Request) -> Any:
    if body.name == "known":
        return JSONResponse({"detail": "already there"}, status_code=409)
    return {"parcelId": f"{who}-{request.method}-{body.name}", "children": len(body.children)}


def app_with(route_class: type | None) -> FastAPI:
    app = FastAPI()
    router = APIRouter(dependencies=[Depends(audited)])
    extra = {"route_class_override": route_class} if route_class else {}
    router.add_api_route(
        "/parcels", make, methods=["POST"], status_code=201, response_model=Made, **extra
    )
    app.include_router(router)
    return app


CASES: list[tuple[str, dict[str, Any]]] = [
    ("valid", {"json": {"name": "Awa", "children": [{"birth_year": 2015}]}}),
    ("out of range", {"json": {"name": "Awa", "children": [{"birth_year": 1990}]}}),
    ("missing field", {"json": {"children": []}}),
    ("wrong type", {"json": {"name": "Awa", "children": "two"}}),
    ("not json", {"content": b'{"name": "Awa", ', "headers": {"content-type": "application/json"}}),
    ("empty", {"content": b"", "headers": {"content-type": "application/json"}}),
    ("text", {"content": b'{"name": "Awa"}', "headers": {"content-type": "text/plain"}}),
    (
        "json+",
        {
            "content": b'{"name": "A", "children": []}',
            "headers": {"content-type": "application/x+json"},
        },
    ),
    ("own answer", {"json": {"name": "known", "children": []}}),
]


def shape(answer: httpx.Response) -> tuple[int, Any]:
    body = answer.json()
    if answer.status_code == 422:  # what the app's 422 handler reads: where, and what kind
        return 422, [
            (e["loc"][:1] if e["type"] == "json_invalid" else e["loc"], e["type"])
            for e in body["detail"]
        ]
    return answer.status_code, body


async def post(app: FastAPI, headers: dict[str, str] | None = None, **kw: Any) -> httpx.Response:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        return await client.post(
            "/parcels", headers={"authorization": "Bearer ok"} | (headers or {}), **kw
        )


@pytest.mark.parametrize(("case", "request_kw"), CASES, ids=[c for c, _ in CASES])
async def test_answers_as_fastapis_route(case: str, request_kw: dict[str, Any]) -> None:
    fastapis, lean = (
        await post(app_with(None), **request_kw),
        await post(app_with(LeanRoute), **request_kw),
    )
    assert shape(lean) == shape(fastapis)
    if case == "valid":
        assert lean.json() == {"parcelId": "staff-POST-Awa", "children": 1}  # by alias, as FastAPI
        assert lean.status_code == 201


async def test_a_dependency_refusing_stops_it_before_the_endpoint() -> None:
    calls.clear()
    answer = await post(
        app_with(LeanRoute),
        headers={"authorization": "Bearer no"},
        json={"name": "Awa", "children": []},
    )
    assert answer.status_code == 401
    assert answer.headers["www-authenticate"] == "Bearer"
    assert calls == ["/parcels"]  # the router's dependency ran, once


async def test_documented_as_fastapis_route() -> None:
    assert app_with(LeanRoute).openapi()["paths"] == app_with(None).openapi()["paths"]


async def sync_endpoint(body: Parcel) -> None: ...


def with_query(name: str) -> None: ...


async def with_query_async(name: str) -> dict[str, str]:
    return {}


async def nested(who: Caller) -> str:
    return who


async def with_nested(who: Annotated[str, Depends(nested)]) -> None: ...


@pytest.mark.parametrize(
    ("endpoint", "named"),
    [
        (with_query, "not an async function"),
        (with_query_async, "query_params"),
        (with_nested, "dependencies"),
    ],
)
def test_refuses_what_it_cannot_call_when_declared(endpoint: Any, named: str) -> None:
    router = APIRouter()
    with pytest.raises(TypeError, match=named):
        router.add_api_route("/x", endpoint, methods=["POST"], route_class_override=LeanRoute)
