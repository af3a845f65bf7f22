"""Server-rendered pages: one Jinja2 environment per service, the DSFR look, CSRF tokens.

Every service's pages extend the kit's `base.html`, so intake, directory, matching and
privacy share one look. The DSFR assets come from the npm package in `web/` (`make setup`
installs them); without them the pages still work, unstyled.
"""

import hashlib
import hmac
import logging
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import ChoiceLoader, Environment, PackageLoader, select_autoescape

from entraide.kit import directions, formats, i18n

log = logging.getLogger(__name__)

DSFR_PACKAGE = Path("web/node_modules/@gouvfr/dsfr/dist")
CSRF_FIELD = "csrf"


def templates_for(
    package: str,
    nav: Sequence[tuple[str, str]] = (),
    *,
    public_nav: Sequence[tuple[str, str]] = (),
    public_home: str = "/",
) -> Jinja2Templates:
    """Templates of one service (its `templates/` folder) over the kit's layout.

    `nav` is the service's menu, `(path, text)` pairs: the header shows it on a desktop
    and in its menu (a DSFR modal, with sign-in or sign-out) on a phone; the entry whose
    path is the longest prefix of the page's is marked current.

    A public page (a route depending on `i18n.public_language`: a parent's or a
    volunteer's) shows `public_nav` instead, translated, and no staff sign-in: the
    staff's menu and their « Se connecter » are no business of a parent's. Its logo
    leads to `public_home` (a staff page's to `/`, which may ask staff to sign in); whoever
    is signed in still sees their account there, and may sign out.
    """
    env = Environment(
        loader=ChoiceLoader(
            [
                PackageLoader(package, "templates"),
                PackageLoader("entraide.kit", "templates"),
            ]
        ),
        autoescape=select_autoescape(default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    formats.install(env)
    i18n.install(env, ["entraide.kit", package])  # public pages' languages (kit/i18n.py)
    env.filters["isolated"] = directions.isolated  # figures and codes read left to right
    env.globals["nav_links"] = list(nav)
    env.globals["public_nav_links"] = list(public_nav)
    env.globals["public_home"] = public_home
    env.globals["service_name"] = package.rpartition(".")[2]  # its place in kit.network's menu
    return Jinja2Templates(env=env)


def dsfr_dir() -> Path | None:
    """Where the DSFR's `dist/` is: ENTRAIDE_DSFR_DIR, else `web/` above the working dir."""
    configured = os.environ.get("ENTRAIDE_DSFR_DIR")
    candidates = [Path(configured)] if configured else []
    here = Path.cwd().resolve()
    candidates += [parent / DSFR_PACKAGE for parent in (here, *here.parents)]
    candidates += [p / DSFR_PACKAGE for p in Path(__file__).resolve().parents]
    return next((c for c in candidates if (c / "dsfr.min.css").is_file()), None)


KIT_STATIC = Path(__file__).parent / "static"  # the kit's own CSS, beside this module


def mount_static(app: FastAPI) -> None:
    """Serve the DSFR under /static/dsfr (a missing package leaves the pages unstyled) and
    the kit's own CSS under /static/kit (the DSFR's fixes for right-to-left pages, staff
    lists as cards on a phone)."""
    app.mount("/static/kit", StaticFiles(directory=KIT_STATIC), name="kit")
    found = dsfr_dir()
    if found is None:
        log.warning("DSFR assets not found: run `make setup` (pages will be unstyled)")
        return
    app.mount("/static/dsfr", StaticFiles(directory=found), name="dsfr")


def csrf_token(secret: bytes, session: str) -> str:
    """A form token bound to the session cookie: another site can neither read nor forge it."""
    return hmac.new(secret, b"csrf:" + session.encode(), hashlib.sha256).hexdigest()


def csrf_valid(secret: bytes, session: str, given: str | None) -> bool:
    return bool(given) and hmac.compare_digest(csrf_token(secret, session), given or "")


def render(
    templates: Jinja2Templates,
    request: Request,
    name: str,
    context: Mapping[str, Any] | None = None,
    *,
    status_code: int = 200,
) -> HTMLResponse:
    """A page, with no caching: it may show a family's data. Without a `principal` in the
    context, the one verified for this request if any (auth.optional_principal on public
    pages), so the header says who is signed in."""
    shown = {"principal": getattr(request.state, "principal", None)} | dict(context or {})
    response = templates.TemplateResponse(request, name, shown, status_code=status_code)
    response.headers["Cache-Control"] = "no-store"
    i18n.remember(request, response)
    return response
