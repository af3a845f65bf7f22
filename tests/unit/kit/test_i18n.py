"""The kit's languages: which one a request gets (`?lang=`, cookie, Accept-Language), the
layout's `lang`/`dir` and switcher on public pages only, the catalogs' plurals, and staff
pages that stay French whatever the browser asks."""

import warnings
from html.parser import HTMLParser

import pytest
from fastapi import Depends, FastAPI, Request
from fastapi.responses import HTMLResponse

from entraide.kit import i18n
from entraide.kit.i18n_catalogs import TRANSLATED, untranslated
from entraide.kit.web import render, templates_for

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

PAGE = "page_erreur.html"
CONTEXT = {"heading": "Titre", "message": "Message", "status_code": 404}


class Html(HTMLParser):
    def __init__(self, text: str):
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def first(self, tag: str) -> dict[str, str | None]:
        return next(attrs for name, attrs in self.tags if name == tag)

    def switcher(self) -> list[dict[str, str | None]]:
        return [a for t, a in self.tags if t == "a" and "fr-tag" in (a.get("class") or "")]


@pytest.fixture(scope="module")
def client() -> TestClient:
    app = FastAPI()
    templates = templates_for(
        "entraide.kit",
        nav=[("/equipe", "Accès rapide")],
        public_nav=[("/recherche", "Menu principal")],
        public_home="/public",
    )

    @app.get("/public", dependencies=[Depends(i18n.public_language)])
    async def public(request: Request) -> HTMLResponse:
        return render(templates, request, PAGE, CONTEXT)

    @app.post("/public", dependencies=[Depends(i18n.public_language)])
    async def sent(request: Request) -> HTMLResponse:
        return render(templates, request, PAGE, CONTEXT)

    @app.get("/staff")
    async def staff(request: Request) -> HTMLResponse:
        return render(templates, request, PAGE, CONTEXT)

    return TestClient(app)


@pytest.mark.parametrize(
    ("asked", "cookie", "header", "expected"),
    [
        (None, None, None, "fr"),
        (None, None, "ar-MA,ar;q=0.9,fr;q=0.8", "ar"),
        (None, None, "de-DE, ro;q=0.7, en;q=0.8", "en"),  # German unknown; en over ro
        (None, None, "pt-BR;q=0, ro", "ro"),  # q=0 refuses
        (None, None, "de, *", "fr"),
        (None, "pt", "ar", "pt"),  # the remembered choice over the browser
        ("en", "pt", "ar", "en"),  # ?lang= over both
        ("xx", None, "ro", "ro"),  # an unknown choice is ignored
        (None, None, "falc", "fr"),  # easy French only by choice
        ("falc", None, None, "falc"),
    ],
)
def test_the_language_asked_for_wins_in_order(asked, cookie, header, expected) -> None:
    assert i18n.negotiate(asked, cookie, header).code == expected


def test_a_browser_in_arabic_gets_the_page_right_to_left_and_translated(client) -> None:
    answer = client.get("/public", headers={"accept-language": "ar"})
    html = Html(answer.text)
    assert html.first("html")["lang"] == "ar"
    assert html.first("html")["dir"] == "rtl"
    assert answer.headers["content-language"] == "ar"
    assert "القائمة الرئيسية" in answer.text  # the public menu's entry, translated
    assert "Menu principal" not in answer.text
    assert "تسجيل الدخول" not in answer.text  # no staff sign-in on a public page
    assert "Se connecter" not in answer.text


def test_lang_choice_is_remembered_in_a_cookie(client) -> None:
    chosen = client.get("/public?lang=pt", headers={"accept-language": "ar"})
    assert chosen.cookies.get(i18n.COOKIE) == "pt"
    assert Html(chosen.text).first("html")["lang"] == "pt"
    # the next page, without ?lang=, still in Portuguese though the browser says Arabic
    later = client.get("/public", headers={"accept-language": "ar"})
    assert Html(later.text).first("html")["lang"] == "pt"
    assert "dir" not in Html(later.text).first("html")
    client.cookies.clear()


def test_the_switcher_offers_every_language_in_its_own_name_on_this_address(client) -> None:
    answer = client.get("/public?lang=en&x=1")
    links = Html(answer.text).switcher()
    # no easy French (FALC) where the service has no FALC catalog
    assert [link["hreflang"] for link in links] == ["fr", "en", "ar", "pt", "ro"]
    assert "العربية" in answer.text
    assert "Română" in answer.text
    current = [link for link in links if link.get("aria-current") == "true"]
    assert [link["href"] for link in current] == ["/public?x=1&lang=en"]
    arabic = next(link for link in links if link["lang"] == "ar")
    assert arabic["href"] == "/public?x=1&lang=ar"
    assert arabic["dir"] == "rtl"
    client.cookies.clear()


def test_the_answer_to_a_form_has_no_language_links(client) -> None:
    """A link would ask the address again without what was sent: the door's answer shows
    its follow-up code once, and a tap on « English » lost it."""
    answer = client.post("/public?lang=en")
    html = Html(answer.text)
    assert html.first("html")["lang"] == "en"  # the answer is in the language chosen
    assert html.switcher() == []
    client.cookies.clear()


def test_staff_pages_stay_french_whatever_the_browser_or_cookie(client) -> None:
    client.cookies.set(i18n.COOKIE, "ar")
    answer = client.get("/staff?lang=en", headers={"accept-language": "ar"})
    client.cookies.clear()
    html = Html(answer.text)
    assert html.first("html")["lang"] == "fr"
    assert "dir" not in html.first("html")
    assert "Se connecter" in answer.text
    assert 'href="/equipe"' in answer.text  # the staff's menu, not the public one
    assert 'href="/recherche"' not in answer.text
    assert html.switcher() == []
    assert "content-language" not in answer.headers
    assert i18n.COOKIE not in answer.cookies


def test_french_is_the_text_as_written() -> None:
    """French pages say what the templates say (the ids are the French texts)."""
    env = templates_for("entraide.kit").env
    source = '{% import "forms.html" as f %}{{ f.error_summary(errors) }}'
    one = env.from_string(source).render(errors={"a": "A"})
    two = env.from_string(source).render(errors={"a": "A", "b": "B"})
    assert "Le formulaire contient 1 erreur<" in one
    assert "Le formulaire contient 2 erreurs<" in two


@pytest.mark.parametrize(
    ("code", "n", "expected"),
    [
        ("en", 1, "The form has 1 error"),
        ("en", 3, "The form has 3 errors"),
        ("ar", 2, "في الاستمارة خطآن"),  # Arabic's dual
        ("ar", 4, "في الاستمارة 4 أخطاء"),
        ("ro", 2, "Formularul conține 2 erori"),
        ("ro", 20, "Formularul conține 20 de erori"),
    ],
)
def test_plurals_follow_each_language(code: str, n: int, expected: str) -> None:
    catalogs = i18n.Catalogs(["entraide.kit"])
    token = i18n._current.set(i18n.LANGUAGES[code])
    try:
        said = catalogs.ngettext(
            "Le formulaire contient %(num)s erreur", "Le formulaire contient %(num)s erreurs", n
        )
    finally:
        i18n._current.reset(token)
    assert said % {"num": n} == expected


def test_a_message_not_translated_reads_in_french() -> None:
    catalogs = i18n.Catalogs(["entraide.kit"])
    token = i18n._current.set(i18n.LANGUAGES["ar"])
    try:
        assert catalogs.gettext("Une phrase que personne n'a traduite") == (
            "Une phrase que personne n'a traduite"
        )
        assert catalogs.ngettext("%(num)s chose", "%(num)s choses", 0) == "%(num)s chose"
    finally:
        i18n._current.reset(token)


@pytest.mark.parametrize("code", TRANSLATED)
def test_the_kit_catalogs_leave_nothing_untranslated(code: str) -> None:
    assert untranslated("entraide.kit", code) == []
