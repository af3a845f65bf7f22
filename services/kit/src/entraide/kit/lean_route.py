"""A route FastAPI declares and documents as any other, whose requests skip FastAPI's solving.

For each request FastAPI reads the body and parses it into a dict, opens exit stacks, walks
the endpoint's dependency tree into a result object, validates the dict against the body's
model, and validates the endpoint's answer against the response model before dumping it.
On intake's staff API (POST /api/v1/requests, the busiest route) that was a quarter of the
CPU a request (tests/benchmarks/test_intake_http.py). `LeanRoute` keeps the declaration,
the OpenAPI document, the middleware and the app's error handlers, and calls the endpoint
itself: the body validated from its bytes in one step (`model_validate_json`), each
dependency called with the request, the answer dumped by its model.

It takes only the endpoints it can call so, and refuses any other when the route is
declared, naming what it cannot take: async endpoints whose parameters are the request, at
most one JSON body (a pydantic model, not embedded) and dependencies that are async
functions of the request alone. Bad input answers as FastAPI's does: the body's errors
raise RequestValidationError at the same locations (`("body", ...)`, the app's 422
handler words them), a dependency's HTTPException reaches the app's handlers.

    router.add_api_route(
        "/requests", submit_request, methods=["POST"], status_code=201,
        response_model=RequestCreated, route_class_override=LeanRoute,
    )
"""

import inspect
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from fastapi import HTTPException, Request, Response
from fastapi.datastructures import DefaultPlaceholder
from fastapi.dependencies.models import Dependant
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from pydantic import BaseModel, TypeAdapter, ValidationError

Dependency = Callable[[Request], Awaitable[Any]]

_ONLY_THE_REQUEST = (
    "path_params",
    "query_params",
    "header_params",
    "cookie_params",
    "body_params",
    "dependencies",
)
_SHAPING = (
    "response_model_include",
    "response_model_exclude",
    "response_model_exclude_unset",
    "response_model_exclude_defaults",
    "response_model_exclude_none",
)
_NEVER = (
    "websocket_param_name",
    "http_connection_param_name",
    "response_param_name",
    "background_tasks_param_name",
    "security_scopes_param_name",
)


class LeanRoute(APIRoute):
    """An APIRoute whose handler calls the endpoint directly (see the module)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        return _handler(self)


def _refuse(route: APIRoute, why: str) -> TypeError:
    return TypeError(f"LeanRoute {route.path}: {why}")


def _dependency(route: APIRoute, dependant: Dependant) -> Dependency:
    """The dependency's function, if it is an async function of the request alone."""
    call = dependant.call
    target = call if inspect.isfunction(call) else type(call).__call__  # RoleCheck: an instance
    if not inspect.iscoroutinefunction(target):
        raise _refuse(route, f"dependency {dependant.name or call!r} is not an async function")
    taken = [name for name in _ONLY_THE_REQUEST if getattr(dependant, name)]
    taken += [name for name in _NEVER if getattr(dependant, name)]
    if taken:
        raise _refuse(route, f"dependency {dependant.name or call!r} takes {', '.join(taken)}")
    wants_request = dependant.request_param_name

    async def call_it(request: Request) -> Any:
        assert call is not None
        return await (call(request) if wants_request else call())

    return call_it


def _body(route: APIRoute) -> tuple[str, type[BaseModel], bool] | None:
    """The body parameter's name, model and whether it is required, if there is one."""
    body = route.dependant.body_params
    if not body:
        return None
    if len(body) > 1 or getattr(body[0].field_info, "embed", False):
        raise _refuse(route, "only one body parameter, not embedded")
    model = body[0].field_info.annotation
    if not (isinstance(model, type) and issubclass(model, BaseModel)):
        raise _refuse(route, f"the body {body[0].name} is not a pydantic model")
    return body[0].name, model, body[0].field_info.is_required()


def _is_json(content_type: str | None) -> bool:
    kind = (content_type or "").split(";", 1)[0].strip().lower()
    return kind == "application/json" or (
        kind.startswith("application/") and kind.endswith("+json")
    )


def _handler(route: APIRoute) -> Callable[[Request], Coroutine[Any, Any, Response]]:
    endpoint, dependant = route.endpoint, route.dependant
    if not inspect.iscoroutinefunction(endpoint):
        raise _refuse(route, "the endpoint is not an async function")
    if taken := [n for n in (*_ONLY_THE_REQUEST[:4], *_NEVER) if getattr(dependant, n)]:
        raise _refuse(route, f"the endpoint takes {', '.join(taken)}")
    if getattr(route, "max_body_size", None) is not None:
        raise _refuse(route, "max_body_size (the app's BodyLimit bounds bodies)")
    if not isinstance(route.response_class, DefaultPlaceholder):
        raise _refuse(route, "a response_class (it answers JSON)")
    if shaped := [o for o in _SHAPING if getattr(route, o)]:
        raise _refuse(route, ", ".join(shaped))
    dependencies = [(d.name, _dependency(route, d)) for d in dependant.dependencies]
    body = _body(route)
    request_name = dependant.request_param_name
    status_code = route.status_code or 200
    answer = TypeAdapter(route.response_model if route.response_field is not None else Any)

    async def read_body(request: Request) -> dict[str, Any]:
        if body is None:
            return {}
        name, model, required = body
        try:
            raw = await request.body()
        except HTTPException:
            raise
        except Exception as exc:  # as FastAPI: a body that could not be read
            raise HTTPException(400, "There was an error parsing the body") from exc
        try:
            if not raw:
                if not required:
                    return {name: None}
                missing = {"type": "missing", "loc": ("body",), "msg": "Field required"}
                raise RequestValidationError([missing | {"input": None}])
            if _is_json(request.headers.get("content-type")):
                return {name: model.model_validate_json(raw)}
            return {name: model.model_validate(raw, from_attributes=True)}  # as FastAPI: refused
        except ValidationError as exc:
            errors = exc.errors(include_url=False)
            raise RequestValidationError(
                [{**e, "loc": ("body", *e["loc"])} for e in errors], body=raw
            ) from None

    async def handle(request: Request) -> Response:
        values: dict[str, Any] = {}
        for name, call in dependencies:  # in their order, before the body, as FastAPI
            value = await call(request)
            if name is not None:
                values[name] = value
        values |= await read_body(request)
        if request_name is not None:
            values[request_name] = request
        result = await endpoint(**values)
        if isinstance(result, Response):
            return result
        content = answer.dump_json(answer.validate_python(result), by_alias=True)
        return Response(content, status_code=status_code, media_type="application/json")

    return handle
