"""One page helper for every service: what each page shows (who is signed in, the CSRF
token for its forms, the service's labels and whatever else the service adds to all of
its pages), rendered with no caching.

    pages = Pages(templates, common=lambda request: {"labels": labels})   # app.py
    provide(app, pages)
    ...
    return pages.page(request, "familles.html", principal, families=found)   # a route
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from entraide.kit.auth import form_csrf
from entraide.kit.principal import Principal
from entraide.kit.web import render

Common = Callable[[Request], Mapping[str, Any]]


@dataclass(frozen=True)
class Pages:
    """A service's templates and the context all its pages share."""

    templates: Jinja2Templates
    common: Common | None = None

    def page(
        self,
        request: Request,
        name: str,
        principal: Principal | None = None,
        *,
        status_code: int = 200,
        **context: Any,
    ) -> HTMLResponse:
        """The page `name`; a public page passes no principal (the header still names
        whoever is signed in)."""
        shared: dict[str, Any] = {"csrf": form_csrf(request)}
        if principal is not None:
            shared["principal"] = principal
        if self.common is not None:
            shared |= self.common(request)
        return render(self.templates, request, name, shared | context, status_code=status_code)

    def error(
        self,
        request: Request,
        principal: Principal | None,
        status_code: int,
        heading: str,
        message: str,
        **context: Any,
    ) -> HTMLResponse:
        """The service's error page (`erreur.html`): what went wrong (`heading`) and what to
        do (`message`), in French, with whatever else it shows (a link back...)."""
        return self.page(
            request,
            "erreur.html",
            principal,
            status_code=status_code,
            heading=heading,
            message=message,
            **context,
        )
