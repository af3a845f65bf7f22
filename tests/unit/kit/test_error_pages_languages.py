"""A public page's errors in its visitor's language (kit/errors.py): the same routes as a
public page (depending on `public_language`) answer 404, 422, 429, 403 and 503 in the
language the visitor asked for (`?lang=`, the cookie, Accept-Language), Arabic right to
left; the same errors on a staff route stay French whatever the browser asks."""

import html

import httpx
import pytest
from fastapi import APIRouter, Depends, HTTPException
from pymongo.errors import ConnectionFailure

from entraide.intake.settings import IntakeSettings
from entraide.kit.auth import RefusedError, install_auth
from entraide.kit.i18n import N_, public_language
from entraide.kit.service import runtime, service_app
from entraide.kit.web import templates_for
from tests.browser import html_attributes, written_in

EXPIRED = N_("Ce formulaire a expiré : rechargez la page et recommencez.")  # kit's catalog


def routes(router: APIRouter) -> APIRouter:
    async def gone() -> None:
        raise HTTPException(404)

    async def busy(wait: str = "42") -> None:
        raise HTTPException(429, detail={"code": "rate-limited"}, headers={"Retry-After": wait})

    async def count(rayon_km: float = 15.0) -> dict[str, float]:
        return {"rayon_km": rayon_km}

    async def expired() -> None:
        raise RefusedError(EXPIRED)

    async def down() -> None:
        raise ConnectionFailure("no store")

    for name, route in (("gone", gone), ("busy", busy), ("count", count)):
        router.add_api_route(f"/{name}", route)
    router.add_api_route("/expired", expired, methods=["POST"])
    router.add_api_route("/down", down)
    return router


def app_client() -> httpx.AsyncClient:
    public = routes(APIRouter(prefix="/public", dependencies=[Depends(public_language)]))
    staff = routes(APIRouter(prefix="/staff"))
    app = service_app(runtime("intake", IntakeSettings()), routers=[public, staff])
    install_auth(app, IntakeSettings(), templates_for("entraide.intake"))
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://intake")


def text(answer: httpx.Response) -> str:
    return html.unescape(answer.text)


# language → what the page says: a missing page, 42 seconds' wait, 10 minutes', a form expired
WORDS = {
    "en": ("Page not found", "Wait 42 seconds, then try again", "Wait 10 minutes",
           "This form has expired", "“rayon_km” in the page's address is not in the expected form.",
           "The service is not answering at the moment."),
    "ar": ("الصفحة غير موجودة", "انتظر 42 ثانية ثم أعد المحاولة", "انتظر 10 دقيقة",
           "انتهت صلاحية هذه الاستمارة", "«rayon_km» في عنوان الصفحة ليس بالشكل المتوقع.",
           "الخدمة لا تستجيب في الوقت الحالي."),
    "pt": ("Página não encontrada", "Aguarde 42 segundos e tente novamente", "Aguarde 10 minutos",
           "Este formulário expirou", "«rayon_km» (o endereço da página) não tem a forma esperada.",
           "O serviço não responde de momento."),
    "ro": ("Pagina nu a fost găsită", "Așteptați 42 secunde, apoi încercați din nou",
           "Așteptați 10 minute", "Acest formular a expirat",
           "„rayon_km” din adresa paginii nu are forma așteptată.",
           "Serviciul nu răspunde momentan."),
}  # fmt: skip


@pytest.mark.parametrize("code", sorted(WORDS))
async def test_a_public_pages_errors_speak_the_language_asked_for(code: str) -> None:
    missing, wait, long_wait, expired, misfit, down = WORDS[code]
    async with app_client() as client:
        gone = await client.get("/public/gone", params={"lang": code})
        busy = await client.get("/public/busy")  # the choice remembered in the cookie
        later = await client.get("/public/busy", params={"wait": "600"})
        refused = await client.post("/public/expired")
        invalid = await client.get("/public/count", params={"rayon_km": "abc"})
        unavailable = await client.get("/public/down")
    assert gone.status_code == 404
    assert f"<h1>{missing}</h1>" in text(gone)
    assert busy.status_code == later.status_code == 429
    assert busy.headers["retry-after"] == "42"
    assert wait in text(busy)
    assert long_wait in text(later)
    assert refused.status_code == 403
    assert expired in text(refused)
    assert invalid.status_code == 422
    assert misfit in text(invalid)
    # what was sent is not said (only in the switcher's links, this page's own address)
    assert "abc" not in text(invalid).replace("?rayon_km=abc&", "")
    assert unavailable.status_code == 503
    assert down in text(unavailable)
    assert unavailable.headers["retry-after"]
    for answer in (gone, busy, later, refused, invalid, unavailable):
        assert written_in(answer.text, code), (answer.request.url, code)
        assert answer.headers["content-language"] == code
        for french in ("Retour à l'accueil", "Erreur ", "Trop de demandes", "réessayez"):
            assert french not in text(answer), (answer.request.url, french)


async def test_the_browsers_language_is_the_errors_language_when_none_was_chosen() -> None:
    async with app_client() as client:
        answer = await client.get("/public/gone", headers={"accept-language": "ar,fr;q=0.5"})
    assert answer.status_code == 404
    assert html_attributes(answer.text)["dir"] == "rtl"
    assert "<h1>الصفحة غير موجودة</h1>" in text(answer)
    assert "العودة إلى الصفحة الرئيسية" in text(answer)
    assert 'id="langues"' in answer.text  # the switcher, to read it in another language


async def test_a_staff_routes_errors_stay_french_whatever_the_browser_asks() -> None:
    async with app_client() as client:
        client.cookies.set("langue", "en")
        asked = {"accept-language": "ar"}
        gone = await client.get("/staff/gone", params={"lang": "en"}, headers=asked)
        busy = await client.get("/staff/busy", params={"wait": "1"}, headers=asked)
        refused = await client.post("/staff/expired", headers=asked)
        unavailable = await client.get("/staff/down", headers=asked)
    assert "<h1>Page introuvable</h1>" in text(gone)
    assert "Erreur 404" in text(gone)
    assert "Attendez un instant puis réessayez" in text(busy)
    assert "Ce formulaire a expiré" in text(refused)
    assert "Indisponible pour le moment" in text(unavailable)  # the component named
    for answer in (gone, busy, refused, unavailable):
        assert html_attributes(answer.text)["lang"] == "fr"
        assert "dir" not in html_attributes(answer.text)
        assert 'id="langues"' not in answer.text


async def test_the_family_doors_errors_read_in_easy_french_where_it_is_offered() -> None:
    """FALC: intake's pages have it, so the kit's error pages there say it in easy French
    (the kit's FALC catalog); directory's pages have none: no « Français facile » offered."""
    async with app_client() as client:
        busy = await client.get("/public/busy", params={"lang": "falc"})
        gone = await client.get("/public/gone")
    assert "<h1>Vous avez envoyé trop de demandes</h1>" in text(busy)
    assert "Nous n'avons pas gardé cette demande. Attendez 42 secondes." in text(busy)
    assert "<h1>Cette page n'existe pas</h1>" in text(gone)
    assert "Revenir à la page d'accueil" in text(gone)
    for answer in (busy, gone):
        assert html_attributes(answer.text)["lang"] == "fr"
        assert "Français facile" in answer.text
    directory = templates_for("entraide.directory").env.globals["language_links"]
    assert directory is not None
    assert not directory.keywords["easy"]


async def test_an_address_no_route_serves_answers_in_the_visitors_language() -> None:
    """A family that read the door in Arabic and follows a link gone stale: its 404 in
    Arabic (the remembered choice, else the browser's), French for anyone else."""
    async with app_client() as client:
        client.cookies.set("langue", "ar")
        chosen = await client.get("/public/no-such-page")
        client.cookies.clear()
        browser = await client.get("/no/such/page", headers={"accept-language": "pt-PT,pt"})
        nobody = await client.get("/no/such/page")
    assert chosen.status_code == browser.status_code == nobody.status_code == 404
    assert "<h1>الصفحة غير موجودة</h1>" in text(chosen)
    assert html_attributes(chosen.text)["dir"] == "rtl"
    assert chosen.headers["content-language"] == "ar"
    assert "<h1>Página não encontrada</h1>" in text(browser)
    assert "<h1>Page introuvable</h1>" in text(nobody)
    assert html_attributes(nobody.text)["lang"] == "fr"
