"""The public pages in the families' languages: gettext catalogs read with Babel, the
language a request asks for, and what the kit's layout needs (`lang`, `dir`, the switcher).

Staff pages stay French: a route changes language only if it depends on
`public_language` (directory's search, offers and volunteer form...). The language is, in
order: `?lang=` (then remembered in a cookie), the cookie, the browser's
`Accept-Language`, French. The messages' ids are the French texts themselves, so a page
without a catalog, or a message not translated yet, reads in French.

Catalogs are `locales/<code>/LC_MESSAGES/messages.po` beside a package's templates (the
kit's for its layout, the service's for its pages), read from the .po at start (no compile
step, nothing generated to keep in step); `make i18n` extracts and updates them
(`kit/i18n_catalogs.py`).
"""

from collections.abc import AsyncIterator, Callable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from functools import partial
from importlib import resources
from io import BytesIO
from typing import TypeGuard

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations
from fastapi import Request, Response
from fastapi.templating import Jinja2Templates
from jinja2 import Environment

from entraide.contracts.vocab import WRITTEN_LANGUAGES
from entraide.kit import formats


@dataclass(frozen=True)
class Language:
    code: str  # ?lang=, the cookie, the catalog's folder
    name: str  # in itself, as the switcher shows it
    tag: str  # BCP 47, for <html lang> and Content-Language
    locale: str  # Babel's, for its numbers and months (kit.formats)
    rtl: bool = False


FRENCH = Language("fr", "Français", "fr", formats.LOCALE)
# French in easy-to-read words (FALC, « facile à lire et à comprendre »): a catalog from
# French to simpler French; a page it does not cover reads in ordinary French
EASY_FRENCH = Language("falc", "Français facile", "fr", formats.LOCALE)
_NAMED = {
    language.code: language
    for language in (
        FRENCH,
        EASY_FRENCH,
        Language("en", "English", "en", "en_GB"),
        Language("ar", "العربية", "ar", "ar", rtl=True),
        Language("pt", "Português", "pt", "pt_PT"),
        Language("ro", "Română", "ro", "ro"),
    )
}
# the network's written languages (contracts.vocab), in its order: one without its name
# above fails at import
LANGUAGES: dict[str, Language] = {code: _NAMED[code] for code in WRITTEN_LANGUAGES}
COOKIE = "langue"
COOKIE_SECONDS = 365 * 24 * 3600

_current: ContextVar[Language] = ContextVar("entraide_language", default=FRENCH)


def current() -> Language:
    """The language of the page being rendered (French outside public routes)."""
    return _current.get()


def locale_for(code: str) -> str:
    """Babel's locale for a language's code (French's for one it does not know)."""
    return LANGUAGES.get(code, FRENCH).locale


def accepted(header: str | None) -> list[str]:
    """An Accept-Language header's primary languages, most wanted first (q=0: refused)."""
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate((header or "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        primary = tag.strip().split("-")[0].lower()
        if primary and primary != "*" and quality > 0:
            ranked.append((-quality, position, primary))
    return [primary for _, _, primary in sorted(ranked)]


def negotiate(asked: str | None, cookie: str | None, accept_language: str | None) -> Language:
    """`?lang=`, else the remembered choice, else the browser's first language we have,
    else French (FALC only by choice: no browser asks for it)."""
    for chosen in (asked, cookie):
        if chosen in LANGUAGES:
            return LANGUAGES[chosen]
    for primary in accepted(accept_language):
        if primary in LANGUAGES and primary != EASY_FRENCH.code:
            return LANGUAGES[primary]
    return FRENCH


async def public_language(request: Request) -> AsyncIterator[Language]:
    """A public route's dependency: its page, its messages and its errors in the language
    asked for. Staff routes never depend on it, so they stay French. (The language is a
    context variable: set here, for the request's handling, it is the one its page renders
    in; put back once the request is answered, so that a caller running requests in its own
    task, as the in-process tests do, does not carry it on to its next request.)"""
    language = _asked_for(request)
    token = _current.set(language)
    request.state.language = language
    request.state.remember_language = request.query_params.get("lang") in LANGUAGES
    try:
        yield language
    finally:
        _current.reset(token)


def _asked_for(request: Request) -> Language:
    """The language this request asks for: `?lang=`, the cookie, Accept-Language."""
    asked = request.query_params.get("lang")
    return negotiate(asked, request.cookies.get(COOKIE), request.headers.get("accept-language"))


def speak(request: Request) -> Language:
    """The language of a page rendered outside its route (an error page, in an exception
    handler): the public route's, as `public_language` found it; for an address no route
    serves (a link mistyped or gone), the visitor's as a public page would find it; French
    for a staff route."""
    language: Language | None = getattr(request.state, "language", None)
    if language is None and "route" not in request.scope:
        language = _asked_for(request)
        request.state.language = language  # its page says it (Content-Language, switcher)
    language = language or FRENCH
    _current.set(language)
    return language


def remember(request: Request, response: Response) -> None:
    """On a public page: say its language, and keep a `?lang=` choice in a cookie."""
    language: Language | None = getattr(request.state, "language", None)
    if language is None:
        return
    response.headers["Content-Language"] = language.tag
    response.headers["Vary"] = "Accept-Language, Cookie"
    if getattr(request.state, "remember_language", False):
        response.set_cookie(
            COOKIE,
            language.code,
            max_age=COOKIE_SECONDS,
            path="/",
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
        )


def is_public(request: object) -> TypeGuard[Request]:
    """Whether this page is a public one (its route depends on `public_language`, or it
    answers an address no route serves): the layout then shows the public menu, never the
    staff's links nor their sign-in."""
    return isinstance(request, Request) and getattr(request.state, "language", None) is not None


def switcher(request: object, easy: bool = False) -> list[dict[str, object]]:
    """The layout's language links (none on a staff page): this address with `?lang=`;
    easy French only where the service has a FALC catalog (`easy`). None on the answer to
    a form: a link asks the address again, without what was sent (the door's follow-up
    code, shown once, would be lost, or the values typed)."""
    if not is_public(request) or request.method != "GET":
        return []
    here: Language = request.state.language
    links = []
    for language in LANGUAGES.values():
        if language == EASY_FRENCH and not easy:
            continue
        url = request.url.include_query_params(lang=language.code)
        links.append(
            {"language": language, "href": f"{url.path}?{url.query}", "current": language == here}
        )
    return links


def _read(path: resources.abc.Traversable) -> Translations:
    catalog = read_po(path.open("rb"))
    compiled = BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)  # a fuzzy guess is not a translation
    compiled.seek(0)
    return Translations(fp=compiled)


class Catalogs:
    """The translations of one service's pages: the kit's catalog (the layout, the forms)
    merged with the service's (which wins where both translate a message)."""

    def __init__(self, packages: Sequence[str]) -> None:
        self.by_code: dict[str, Translations] = {}
        self.own: set[str] = set()  # the codes the service's own package (the last) has
        service = packages[-1] if len(set(packages)) > 1 else None
        for code in LANGUAGES:
            for package in packages:
                path = resources.files(package) / "locales" / code / "LC_MESSAGES" / "messages.po"
                if not path.is_file():
                    continue
                if package == service:
                    self.own.add(code)
                read = _read(path)
                if code in self.by_code:
                    self.by_code[code].merge(read)
                else:
                    self.by_code[code] = read

    def gettext(self, message: str) -> str:
        """`message` (French) in the current language, or as it is if not translated."""
        return self.gettext_in(current().code, message)

    def gettext_in(self, code: str, message: str) -> str:
        """`message` (French) in the language `code`, outside any page (a message sent
        later, in the language its reader chose), or as it is if not translated."""
        translations = self.by_code.get(code)
        return translations.gettext(message) if translations else message

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """The form for `n`; untranslated, French's rule (0 and 1 are singular)."""
        translations = self.by_code.get(current().code)
        if translations is not None and (singular, 0) in translations._catalog:
            return translations.ngettext(singular, plural, n)
        return singular if abs(n) < 2 else plural


def N_(message: str) -> str:  # noqa: N802  # gettext's name for "extract, translate later"
    """Marks a message written in code (a constant) for extraction; the route translates
    it when it renders (`translator(templates)(message)`)."""
    return message


def translator(templates: Jinja2Templates) -> Callable[[str], str]:
    """What a route translates its own messages with (errors, labels): the service's
    catalogs, in the language of the page being rendered."""
    return _catalogs(templates).gettext


def translator_in(templates: Jinja2Templates) -> Callable[[str, str], str]:
    """What a message sent later is translated with, `(language, French)`: the same
    catalogs as the pages' (read once, at `templates_for`)."""
    return _catalogs(templates).gettext_in


def _catalogs(templates: Jinja2Templates) -> Catalogs:
    return templates.env.globals["catalogs"]  # type: ignore[return-value]


def install(env: Environment, packages: Sequence[str]) -> Catalogs:
    """Jinja's i18n extension (`{% trans %}`, `_()`, `ngettext()`; new style: variables
    escaped, `%(name)s`), `translate()` for words that come from code (labels), `comma()`
    (the language's, between a line's parts), and what the layout reads:
    `current_language()`, `language_links(request)`, `public_page(request)` (names no
    page's context is likely to shadow)."""
    catalogs = Catalogs(packages)
    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_callables(  # type: ignore[attr-defined]  # added by the extension
        catalogs.gettext, catalogs.ngettext, newstyle=True
    )
    env.globals["translate"] = catalogs.gettext
    # numbers, distances and a sentence's dates in the page's language (French outside
    # public routes): « 1er décembre 2026 », « 1 December 2026 »
    env.filters["long_day"] = lambda on: formats.long_day(on, current().locale)
    env.filters["number"] = lambda value: formats.number(value, current().locale)
    env.filters["decimal"] = lambda value, digits=1: formats.decimal(
        value, digits, current().locale
    )
    env.filters["km"] = lambda value: formats.km(value, current().locale)
    env.filters["listed"] = lambda items, words=None: formats.listed(items, words, current().locale)
    env.globals["comma"] = lambda: formats.comma(current().locale)
    env.globals["catalogs"] = catalogs
    env.globals["current_language"] = current
    env.globals["public_page"] = is_public
    # easy French is offered where the service's pages have it (the kit's FALC catalog holds
    # only what the family door shows of the kit: its error pages)
    env.globals["language_links"] = partial(switcher, easy=EASY_FRENCH.code in catalogs.own)
    return catalogs
