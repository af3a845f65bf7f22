"""Where signing in leads (kit.homes.landing) when the page asked for is served by a router
included under a prefix: FastAPI keeps such a router as one route in `app.routes`, so the
page's role check is found only by looking inside it, under its prefix, with the roles the
inclusion itself requires."""

from fastapi import APIRouter, Depends, FastAPI

from entraide.kit.auth import require_role
from entraide.kit.homes import landing
from entraide.kit.principal import Principal, Role
from entraide.kit.settings import ServiceSettings

SETTINGS = ServiceSettings(
    port=8020,
    database="intake",
    intake_url="https://intake.entraide.example.org",
    privacy_url="https://privacy.entraide.example.org",
    observatory_url="https://observatory.entraide.example.org",
)
STAFF = Principal(
    subject="s1", name="Sam", role=Role.STAFF, association_id="parrains-par-mille",
    territories=("44",),
)  # fmt: skip
DPO = Principal(subject="d1", name="Dana", role=Role.DPO, association_id=None, territories=())
FUNDER = Principal(
    subject="f1", name="Fanny", role=Role.FUNDER, association_id=None, territories=()
)


def app_with_included_routers() -> FastAPI:
    """/droits/dossiers (the DPO's) two inclusions deep, each with a prefix; /lecture/...
    a router whose inclusion admits funders only; /ouvert a page open to everyone."""
    cases, rights = APIRouter(prefix="/dossiers"), APIRouter()
    cases.add_api_route("", lambda: {}, dependencies=[Depends(require_role(Role.DPO))])
    rights.include_router(cases, prefix="/droits")
    reading = APIRouter()
    reading.add_api_route("/indicateurs", lambda: {})
    app = FastAPI()
    app.include_router(rights, prefix="/espace")
    app.include_router(
        reading, prefix="/lecture", dependencies=[Depends(require_role(Role.FUNDER))]
    )
    app.add_api_route("/ouvert", lambda: {})
    return app


def lands(principal: Principal, wanted: str) -> str:
    routes = app_with_included_routers().router.routes
    return landing(principal, wanted, routes, settings=SETTINGS, admitted={Role.STAFF})


def test_a_page_under_an_included_prefix_that_refuses_them_sends_them_home() -> None:
    assert lands(STAFF, "/espace/droits/dossiers") == "/"
    assert lands(FUNDER, "/espace/droits/dossiers?page=2") == (
        "https://observatory.entraide.example.org/"
    )
    assert lands(DPO, "/espace/droits/dossiers?page=2") == "/espace/droits/dossiers?page=2"


def test_a_role_the_inclusion_requires_counts_like_the_routes_own() -> None:
    """The inclusion's `dependencies` were not looked at: staff asking for a funders' page
    were sent to it, and refused."""
    assert lands(STAFF, "/lecture/indicateurs") == "/"
    assert lands(DPO, "/lecture/indicateurs") == "https://privacy.entraide.example.org/"
    assert lands(FUNDER, "/lecture/indicateurs") == "/lecture/indicateurs"


def test_a_page_no_route_refuses_is_where_they_land() -> None:
    assert lands(FUNDER, "/ouvert") == "/ouvert"
    assert lands(STAFF, "/inconnue") == "/inconnue"  # no route: nothing refuses them
