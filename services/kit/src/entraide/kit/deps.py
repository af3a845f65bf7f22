"""Typed wiring: routes ask for what they use by its type, `app.py` provides it once.

    # app.py (the wiring)
    provide(app, casework, pages)                 # each under its own class
    provide_as(app, FamilyRepository, store)      # or under a port it implements

    # entrypoints/http/deps.py (one line per dependency)
    CaseworkDep = Annotated[Casework, Depends(provided(Casework))]

    # a route
    async def family(family_id: str, casework: CaseworkDep) -> ...

No route reads `request.app.state`; a dependency nobody provided fails at the first request
with its name (and in the tests that cover the route), not with an AttributeError.
"""

from collections.abc import Awaitable, Callable
from functools import cache
from typing import Any, TypeVar, cast

from fastapi import FastAPI, Request

T = TypeVar("T")


def _registry(app: FastAPI) -> dict[type, Any]:
    # by key: an attribute of `State` is found only after a failed lookup raised inside
    # (`__getattr__`), twice with `hasattr`, at every dependency of every request
    state = app.state
    try:
        return cast(dict[type, Any], state["provided"])
    except KeyError:
        registry: dict[type, Any] = {}
        state["provided"] = registry
        return registry


def provide(app: FastAPI, *instances: object) -> None:
    """Make each instance available to routes under its own class."""
    for instance in instances:
        _registry(app)[type(instance)] = instance


def provide_as(app: FastAPI, kind: type[T], instance: T) -> None:
    """Make `instance` available under `kind` (a port it implements, a base class)."""
    _registry(app)[kind] = instance


@cache  # one dependency per kind: FastAPI resolves it once per request
def provided(kind: type[T]) -> Callable[[Request], Awaitable[T]]:
    """A FastAPI dependency that returns what `app.py` provided under `kind`."""

    async def dependency(request: Request) -> T:  # async: no thread hop per request
        try:
            return cast(T, _registry(request.app)[kind])
        except KeyError:
            raise LookupError(f"{kind.__name__} is not provided: app.py must provide it") from None

    dependency.__name__ = f"provided_{kind.__name__}"
    return dependency


def lookup(app: FastAPI, kind: type[T]) -> T:
    """What was provided under `kind`, outside a request (lifespan tasks, tests)."""
    return cast(T, _registry(app)[kind])


def lookup_optional(app: FastAPI, kind: type[T]) -> T | None:
    """What was provided under `kind`, or None (for what a service may leave out)."""
    return cast(T | None, _registry(app).get(kind))
