"""HTTP series for Prometheus, under the names and labels prometheus-fastapi-instrumentator
gave them (the alerts and the dashboard read them unchanged), without its cost.

The instrumentator found each request's route by trying every route of the app before
the router did the same again; OpenTelemetry's FastAPI instrumentor did it a third time.
With intake's 90 routes that was a third of a small request's time in a profile. Here the
route is read after the router has chosen it: FastAPI leaves it in the scope.
"""

from time import perf_counter
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram, Summary
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from entraide.kit.metrics import HTTP_LATENCY, HTTP_REQUESTS

# the instrumentator's defaults, kept for the dashboards' percentiles
FINE_BUCKETS = (
    *(0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5),
    *(7.5, 10, 30, 60),
)
HANDLER_BUCKETS = (0.1, 0.5, 1)
UNMATCHED = "none"  # a path no route serves: one label, not one per path (cardinality)
CHILDREN_MAX = 1000


class HttpSeries:
    """The HTTP series of one service's registry."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.total = Counter(
            HTTP_REQUESTS.removesuffix("_total"),
            "Total number of requests by method, status and handler.",
            ("method", "status", "handler"),
            registry=registry,
        )
        self.latency = Histogram(
            HTTP_LATENCY,
            "Latency with only few buckets by handler.",
            ("method", "handler"),
            buckets=HANDLER_BUCKETS,
            registry=registry,
        )
        self.latency_fine = Histogram(
            "http_request_duration_highr_seconds",
            "Latency with many buckets but no API specific labels.",
            buckets=FINE_BUCKETS,
            registry=registry,
        )
        self.request_size = Summary(
            "http_request_size_bytes",
            "Content length of incoming requests by handler (the header's value).",
            ("handler",),
            registry=registry,
        )
        self.response_size = Summary(
            "http_response_size_bytes",
            "Content length of outgoing responses by handler (the header's value).",
            ("handler",),
            registry=registry,
        )
        self._cached: dict[tuple[str, str, str], tuple[Any, Any, Any, Any]] = {}

    def observe(
        self, method: str, handler: str, status: int, seconds: float, sizes: tuple[int, int]
    ) -> None:
        total, latency, request_size, response_size = self._children(method, handler, status)
        total.inc()
        latency.observe(seconds)
        self.latency_fine.observe(seconds)
        request_size.observe(sizes[0])
        response_size.observe(sizes[1])

    def _children(self, method: str, handler: str, status: int) -> tuple[Any, Any, Any, Any]:
        """The labelled series of a method, route and status class, found once (`labels`
        takes a lock and builds its key at every call: half of `observe`'s time). Bounded:
        the cache starts again past `CHILDREN_MAX` combinations (a client inventing methods)."""
        status_class = f"{str(status)[0]}xx"
        key = (method, handler, status_class)
        children = self._cached.get(key)
        if children is None:
            if len(self._cached) >= CHILDREN_MAX:
                self._cached.clear()
            children = self._cached[key] = (
                self.total.labels(method, status_class, handler),
                self.latency.labels(method, handler),
                self.request_size.labels(handler),
                self.response_size.labels(handler),
            )
        return children


def _content_length(headers: Any) -> int:
    for name, value in headers or ():
        if name == b"content-length":
            return int(value) if value.isdigit() else 0
    return 0


def handler_of(scope: Scope) -> str:
    """The route template that served the request (`/api/v1/requests/{request_id}`)."""
    route = scope.get("route")
    path = getattr(route, "path", None)
    return path if isinstance(path, str) else UNMATCHED


class HttpMetrics:
    """ASGI middleware: counts and times every HTTP request under its route's template."""

    def __init__(self, app: ASGIApp, *, series: HttpSeries) -> None:
        self.app = app
        self.series = series

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = perf_counter()
        status, size = 500, 0  # an error that escapes is answered 500 further out

        async def sending(message: Message) -> None:
            nonlocal status, size
            if message["type"] == "http.response.start":
                status = message["status"]
                size = _content_length(message.get("headers"))
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            self.series.observe(
                scope["method"],
                handler_of(scope),
                status,
                perf_counter() - started,
                (_content_length(scope.get("headers")), size),
            )
