"""One FastAPI app per service: probes, metrics, API docs, and the broker in its lifespan.

FastStream's FastAPI plugin is deprecated since 0.7.3, so the broker runs inside the
app's lifespan instead.
"""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Any

from aiokafka.errors import KafkaError
from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from faststream.kafka import KafkaBroker
from faststream.specification import AsyncAPI
from faststream.specification.asyncapi import get_asyncapi_html
from prometheus_client import CollectorRegistry
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import ConnectionFailure
from starlette.exceptions import HTTPException

from entraide.kit import errors, homes, loops, messages
from entraide.kit.broker import make_broker, start_when_reachable
from entraide.kit.deps import lookup_optional, provide
from entraide.kit.http_metrics import HttpMetrics, HttpSeries
from entraide.kit.i18n import FRENCH
from entraide.kit.lag import lag_sampler
from entraide.kit.metrics import (
    MatchingMetrics,
    PrivacyMetrics,
    matching_metrics,
    privacy_metrics,
)
from entraide.kit.outages import (
    KAFKA,
    OUTAGES,
    STORE,
    DependencyUnavailableError,
    refusal,
    watcher,
)
from entraide.kit.probes import Readiness, kafka_ready, probes, store_ready
from entraide.kit.protect import BodyLimit, RateLimits, SecurityHeaders
from entraide.kit.settings import ServiceSettings
from entraide.kit.signin import AuthConfig
from entraide.kit.telemetry import HTTP_TELEMETRY
from entraide.kit.web import mount_static, render

log = logging.getLogger(__name__)

Lifespan = Callable[[FastAPI], AbstractAsyncContextManager[None]]


@dataclass(frozen=True)
class Runtime:
    """What every service is made of: its settings, metrics, broker and own database."""

    service: str
    settings: ServiceSettings
    registry: CollectorRegistry
    broker: KafkaBroker
    db: AsyncDatabase[dict[str, Any]]
    # registered here so /metrics shows them before the service observes anything
    matching_metrics: MatchingMetrics | None = None
    privacy_metrics: PrivacyMetrics | None = None


def runtime(service: str, settings: ServiceSettings) -> Runtime:
    """Build a service's runtime; nothing connects until the app starts."""
    registry = CollectorRegistry()
    OUTAGES.bind(registry)
    loops.bind(registry)  # the background loops' failures and last successes
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(
        settings.mongodb_uri, tz_aware=True, serverSelectionTimeoutMS=5000
    )
    return Runtime(
        service=service,
        settings=settings,
        registry=registry,
        broker=make_broker(settings, service=service, registry=registry),
        db=client[settings.database],
        matching_metrics=matching_metrics(registry) if service == "matching" else None,
        privacy_metrics=privacy_metrics(registry) if service == "privacy" else None,
    )


def service_app(
    rt: Runtime,
    *,
    routers: Sequence[APIRouter] = (),
    startup: Sequence[Callable[[], Awaitable[None]]] = (),
    lifespans: Sequence[Lifespan] = (),
) -> FastAPI:
    """The FastAPI app of one service with /healthz, /readyz, /metrics and /asyncapi.

    `startup` steps run first (indexes); the broker then starts in the background, retrying
    while Kafka is unreachable, so the HTTP side serves (and /readyz answers 503 until the
    broker started once, kit/probes.py) meanwhile.
    """

    service, settings, broker, db = rt.service, rt.settings, rt.broker, rt.db
    readiness = Readiness()

    async def subscribe() -> None:
        await start_when_reachable(broker)
        readiness.subscribed = True  # once: a later Kafka outage leaves the pod ready

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        for step in startup:
            await step()
        starting = asyncio.create_task(subscribe())
        sampling = lag_sampler(broker, rt.registry, settings.consumer_lag_interval_seconds)
        # an outage's end, logged once
        watching = watcher({KAFKA: lambda: kafka_ready(broker), STORE: lambda: store_ready(db)})
        try:
            async with contextlib.AsyncExitStack() as stack:
                await stack.enter_async_context(loops.running(sampling))
                await stack.enter_async_context(loops.running(watching))
                for extra in lifespans:
                    await stack.enter_async_context(extra(app))
                log.info("service started", extra={"port": settings.port})
                readiness.started = True
                yield
                readiness.started = False
                log.info("service stopping: finishing in-flight messages")
        finally:  # an error thrown in at the yield stops the broker too: its consumers went
            # on answering (a failed test's intake acknowledged the next tests' commands)
            starting.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await starting
            await broker.stop()  # waits up to graceful_timeout for handlers in flight
            await db.client.close()

    app = FastAPI(
        title=f"Entraide {service}", version="0.1.0", lifespan=lifespan, telemetry=HTTP_TELEMETRY
    )
    app.state.db = db
    app.state.broker = broker
    app.state.settings = settings
    secret = settings.session_secret.get_secret_value().encode()
    # the public doors' limiter, shared by the replicas through the store (kit/buckets.py)
    provide(app, RateLimits.in_store(settings.public_rate_limit, db, secret))
    app.add_middleware(BodyLimit)
    app.add_middleware(
        SecurityHeaders, https=settings.session_cookie_secure, form_targets=homes.origins(settings)
    )
    app.add_middleware(HttpMetrics, series=HttpSeries(rt.registry))  # outermost
    app.add_exception_handler(RequestValidationError, _invalid_input)
    app.add_exception_handler(HTTPException, errors.http_error)  # pages: in French
    app.add_exception_handler(Exception, errors.server_error)  # a bug: no English, no trace
    for failure in (ConnectionFailure, KafkaError, DependencyUnavailableError):
        app.add_exception_handler(failure, _unavailable)
    _document_field_errors(app)
    for router in routers:
        app.include_router(router)
    # after the service's own routes: a request is matched against the routes in order, and
    # the service's (its API, its pages) are the ones called all the time
    app.include_router(probes(broker, db, rt.registry, readiness))
    app.include_router(_asyncapi(service, broker))
    mount_static(app)
    return app


def field_errors(
    errors: Sequence[Any], specific: messages.FieldMessages | None = None
) -> list[dict[str, str]]:
    """Pydantic errors as `{field, message, type}`, the message in French (the service's
    own sentence for the field when it has one: `messages.FieldSentences`), without the
    input (it may be personal)."""
    return messages.field_errors(errors, specific)


FIELD_ERROR_SCHEMA = {
    "title": "ValidationError",
    "type": "object",
    "required": ["field", "message"],
    "properties": {
        "field": {"type": "string", "title": "Field"},
        "message": {"type": "string", "title": "Message"},
        "type": {"type": "string", "title": "Error Type"},
    },
}


def _document_field_errors(app: FastAPI) -> None:
    """Publish the 422 body the kit sends (`{field, message, type}`), not FastAPI's own."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schemas = build().get("components", {}).get("schemas", {})
            if "ValidationError" in schemas:
                schemas["ValidationError"] = FIELD_ERROR_SCHEMA
        return app.openapi_schema or build()

    app.openapi = openapi  # type: ignore[method-assign]


async def _invalid_input(request: Request, exc: Exception) -> Response:
    """422 naming each wrong field, without echoing what was sent (a page for pages)."""
    assert isinstance(exc, RequestValidationError)
    if errors.is_page(request) and (page := errors.invalid_page(request, exc)) is not None:
        return page
    own = lookup_optional(request.app, messages.FieldSentences)
    specific = own.of if own is not None else None
    return JSONResponse({"detail": field_errors(exc.errors(), specific)}, status_code=422)


async def _unavailable(request: Request, exc: Exception) -> Response:
    """A dependency did not answer: 503 naming it, with Retry-After; nothing was recorded,
    the caller may try again. The outage is logged once, not once per request."""
    if isinstance(exc, DependencyUnavailableError):
        component, reason = exc.component, exc.reason
    else:
        component = STORE if isinstance(exc, ConnectionFailure) else KAFKA
        reason = type(exc).__name__
    OUTAGES.broken(component, reason)
    body, headers = refusal(component)
    config = lookup_optional(request.app, AuthConfig)
    if request.url.path.startswith("/api") or config is None:
        return JSONResponse({"detail": body}, status_code=503, headers=headers)
    public = getattr(request.state, "language", FRENCH) != FRENCH  # a page not in French
    if public and (page := errors.error_page(request, 503, errors.MESSAGES[503], headers=headers)):
        return page
    context = {"heading": "Service indisponible", "message": body["message"], "principal": None}
    page = render(config.templates, request, "interdit.html", context, status_code=503)
    page.headers.update(headers)
    return page


def _asyncapi(service: str, broker: KafkaBroker) -> APIRouter:
    router = APIRouter(tags=["ops"], include_in_schema=False)
    factory = AsyncAPI(
        broker,
        title=f"Entraide {service}",
        version="0.1.0",
        description=f"What the {service} service consumes and publishes.",
    )

    @router.get("/asyncapi.json")
    async def asyncapi_json() -> Any:
        return factory.to_specification().to_jsonable()

    @router.get("/asyncapi", response_class=HTMLResponse)
    async def asyncapi_html(request: Request) -> str:
        return get_asyncapi_html(factory.to_specification())

    return router
