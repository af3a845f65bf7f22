"""Typed wiring: a route gets what app.py provided by its type; a missing one names itself."""

from typing import Annotated

import httpx
import pytest
from fastapi import Depends, FastAPI

from entraide.kit.deps import lookup, provide, provide_as, provided


class Greeter:
    def __init__(self, word: str) -> None:
        self.word = word


class Loud(Greeter):
    pass


GreeterDep = Annotated[Greeter, Depends(provided(Greeter))]


def app_with(*instances: Greeter, as_base: Greeter | None = None) -> FastAPI:
    app = FastAPI()

    @app.get("/")
    async def hello(greeter: GreeterDep) -> str:
        return greeter.word

    provide(app, *instances)
    if as_base is not None:
        provide_as(app, Greeter, as_base)
    return app


async def get(app: FastAPI) -> httpx.Response:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://t"
    ) as client:
        return await client.get("/")


async def test_a_route_gets_what_was_provided_under_its_type() -> None:
    assert (await get(app_with(Greeter("bonjour")))).json() == "bonjour"
    assert (await get(app_with(Loud("x"), as_base=Loud("BONJOUR")))).json() == "BONJOUR"


async def test_two_apps_keep_their_own() -> None:
    first, second = app_with(Greeter("un")), app_with(Greeter("deux"))
    assert (await get(first)).json() == "un"
    assert (await get(second)).json() == "deux"
    assert lookup(second, Greeter).word == "deux"


async def test_a_missing_dependency_names_itself() -> None:
    with pytest.raises(LookupError, match="Greeter is not provided"):
        await get(app_with(Loud("only under its own class")))
