"""The probes, the metrics, the AsyncAPI documents and the static files are each answered by
their own route in every service: the kit includes them after the service's routes (those
are matched first: they are the ones called all the time), so no service route may match
their paths, and they match no path of the service's."""

import pytest
from starlette.routing import Match

from tests.access_support import make_app

OPS_PATHS = ("/healthz", "/readyz", "/metrics", "/asyncapi", "/asyncapi.json")
OPS_PATHS += ("/static/kit/entraide.css", "/static/dsfr/dsfr.min.css")
SERVICES = ("directory", "intake", "matching", "observatory", "privacy")


@pytest.mark.parametrize("service", SERVICES)
def test_each_ops_path_is_answered_by_one_route_only(service: str) -> None:
    routes = make_app(service, None).router.routes
    for path in OPS_PATHS:
        scope = {"type": "http", "method": "GET", "path": path, "root_path": "", "headers": []}
        matching = [r for r in routes if r.matches(dict(scope, query_string=b""))[0] != Match.NONE]
        assert len(matching) == 1, (path, matching)
