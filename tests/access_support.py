"""The roles of the access-control matrix, and the routes of an app as FastAPI holds them."""

import re
from typing import Any

from fastapi import FastAPI
from starlette.routing import Mount

ROLES = {  # role in the matrix -> the demo account that plays it
    "staff": "ppm-nantes",  # Parrains Par Mille staff, Loire-Atlantique
    "other-association-staff": "afev-lille",
    "coordinator": "coordination-ppm",
    "network-coordinator": "coordination-reseau",
    "dpo": "dpo",
    "funder": "financeur",  # public actors and funders: the observatory's figures only
}
ALL = ("anonymous", *ROLES, "partner")
ANYONE = frozenset(ALL)
SIGNED_IN = frozenset(ROLES)
NETWORK_WIDE = frozenset({"network-coordinator", "dpo"})
PARTNER = frozenset({"partner"})
NOBODY: frozenset[str] = frozenset()
PER_RECORD = frozenset({"(any signed-in role; the record decides)"})
MADE_UP_ID = "0123456789abcdef01234567"


def app_routes(app: FastAPI) -> set[tuple[str, str]]:
    """Every (method, path) the app answers, static mounts aside."""
    found: set[tuple[str, str]] = set()
    for route in app.routes:
        if isinstance(route, Mount):
            continue
        # FastAPI 0.16x keeps an included router as one entry holding its routes
        inner: list[Any] = (
            list(route.effective_candidates())
            if hasattr(route, "effective_candidates")
            else [route]
        )
        for one in inner:
            found |= {(m, one.path) for m in (one.methods or ()) if m != "HEAD"}
    return found


def concrete(template: str) -> str:
    """A path with a made-up value for each parameter."""
    return re.sub(r"\{[^}]+\}", MADE_UP_ID, template)


def make_app(service: str, settings: Any, **_: Any) -> FastAPI:
    """The service's app on these settings (its defaults when None, to list the routes)."""
    if service == "intake":
        from entraide.intake.app import create_app as intake

        return intake(settings)
    if service == "directory":
        from entraide.directory.app import create_app as directory

        return directory(settings)
    if service == "matching":
        from entraide.matching.app import create_app as matching

        return matching(settings)
    from entraide.privacy.app import create_app as privacy

    return privacy(settings)


def route_dependencies(app: FastAPI) -> dict[tuple[str, str], set[str]]:
    """Each (method, path) and the names of the dependencies FastAPI runs for it."""
    found: dict[tuple[str, str], set[str]] = {}
    for route in app.routes:
        inner = route.effective_candidates() if hasattr(route, "effective_candidates") else [route]
        for one in inner:
            dependant = getattr(one, "dependant", None)
            if dependant is None:
                continue
            names = {getattr(d.call, "__name__", "") for d in dependant.dependencies}
            for method in one.methods or ():
                found[(method, one.path)] = names
    return found


def settings_of(service: str, infra: Any, unique: str, dev_issuer: Any, **given: Any) -> Any:
    """The settings a whole-app test runs `service` on: the fixtures' for intake, privacy
    and matching (`given` by name, signed-in through the dev issuer where they need it),
    directory's alone (no relay, keys in its own database)."""
    from entraide.directory.settings import DirectorySettings
    from tests.infra import settings_on

    if service == "directory":
        directory = settings_on(
            DirectorySettings, infra, f"test_directory_{unique}", outbox_relay=False, keys="local"
        )
        return dev_issuer.settings_for(directory)
    if service == "matching":
        return dev_issuer.settings_for(given["matching"])
    return given[service]
