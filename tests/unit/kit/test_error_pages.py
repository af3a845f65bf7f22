"""Errors in the caller's language: a French page on page routes (404, 422, 429, 503),
FastAPI's JSON on API routes, probes and assets."""

import html

import httpx
from fastapi import APIRouter, HTTPException

from entraide.intake.settings import IntakeSettings
from entraide.kit.auth import install_auth
from entraide.kit.service import runtime, service_app
from entraide.kit.web import templates_for


def app_client() -> httpx.AsyncClient:
    router = APIRouter()

    async def gone() -> None:
        raise HTTPException(404, "cette action a été retirée.")

    async def busy() -> None:
        raise HTTPException(429, detail={"code": "rate-limited"}, headers={"Retry-After": "42"})

    async def count(rayon_km: float = 15.0) -> dict[str, float]:
        return {"rayon_km": rayon_km}

    for prefix in ("/api/v1", "/internal/v1", ""):
        router.add_api_route(f"{prefix}/gone", gone)
        router.add_api_route(f"{prefix}/busy", busy)
        router.add_api_route(f"{prefix}/count", count)
    app = service_app(runtime("intake", IntakeSettings()), routers=[router])
    install_auth(app, IntakeSettings(), templates_for("entraide.intake"))
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://intake")


async def test_a_page_that_is_not_there_answers_a_french_page_and_the_api_json() -> None:
    async with app_client() as client:
        page = await client.get("/nulle-part")
        gone = await client.get("/gone")
        api = await client.get("/api/v1/gone")
        unknown_api = await client.get("/api/v1/nulle-part")
    for answer in (page, gone):
        assert answer.status_code == 404
        assert answer.headers["content-type"].startswith("text/html")
        assert "<h1>Page introuvable</h1>" in html.unescape(answer.text)
        assert 'lang="fr"' in html.unescape(answer.text)
    assert "Cette page n'existe pas ou n'est plus en ligne" in html.unescape(page.text)
    assert "Cette action a été retirée." in html.unescape(gone.text)  # the route's own sentence
    assert api.status_code == 404
    assert api.json() == {"detail": "cette action a été retirée."}
    assert unknown_api.json() == {"detail": "Not Found"}


async def test_a_malformed_parameter_answers_a_french_page_naming_it_and_the_api_json() -> None:
    async with app_client() as client:
        page = await client.get("/count", params={"rayon_km": "abc"})
        api = await client.get("/api/v1/count", params={"rayon_km": "abc"})
    assert page.status_code == 422
    assert page.headers["content-type"].startswith("text/html")
    assert "<h1>Adresse incorrecte</h1>" in html.unescape(page.text)
    assert "« rayon_km » dans l'adresse de la page n'a pas la forme attendue." in html.unescape(
        page.text
    )
    assert "abc" not in html.unescape(page.text)  # what was sent is not echoed
    assert api.status_code == 422
    assert api.json()["detail"][0]["field"] == "query.rayon_km"


async def test_too_many_requests_answers_a_french_page_with_retry_after() -> None:
    async with app_client() as client:
        page = await client.get("/busy")
        api = await client.get("/api/v1/busy")
    assert page.status_code == 429
    assert page.headers["retry-after"] == "42"
    assert "<h1>Trop de demandes</h1>" in html.unescape(page.text)
    assert "Attendez 42 secondes puis réessayez" in html.unescape(page.text)
    assert api.status_code == 429
    assert api.headers["retry-after"] == "42"
    assert api.json() == {"detail": {"code": "rate-limited"}}


async def test_probes_assets_and_internal_apis_keep_json() -> None:
    async with app_client() as client:
        asset = await client.get("/static/nothing.css")
        metrics = await client.get("/metrics/nothing")
        internal = await client.get("/internal/v1/count", params={"rayon_km": "abc"})
    assert asset.status_code == metrics.status_code == 404
    assert asset.headers["content-type"] == metrics.headers["content-type"] == "application/json"
    # the key vault's callers are services: a 422 they can read
    assert internal.status_code == 422
    assert internal.headers["content-type"] == "application/json"


async def test_an_unexpected_failure_answers_a_french_page_and_the_api_json_saying_nothing_of_it() -> (
    None
):
    """A bug in a page answered « Internal Server Error », in English, outside the layout;
    now the network's page in French (or JSON on an API), and never the exception's text,
    which may hold what a person typed."""
    router = APIRouter()

    async def boom() -> None:
        raise RuntimeError("Amina Diallo 06 12 34 56 78")  # what a bug's message may hold

    for prefix in ("/api/v1", ""):
        router.add_api_route(f"{prefix}/boom", boom)
    app = service_app(runtime("intake", IntakeSettings()), routers=[router])
    install_auth(app, IntakeSettings(), templates_for("entraide.intake"))
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://intake") as client:
        page = await client.get("/boom")
        api = await client.get("/api/v1/boom")
    said = html.unescape(page.text)
    assert page.status_code == 500
    assert page.headers["content-type"].startswith("text/html")
    assert "<h1>Erreur inattendue</h1>" in said
    assert "Réessayez dans quelques instants" in said
    assert 'class="fr-header' in said  # the network's layout
    assert api.status_code == 500
    assert api.json() == {"detail": "Erreur interne du service : réessayez plus tard."}
    for answer in (page, api):
        assert "Amina" not in answer.text
        assert "Internal Server Error" not in answer.text
