"""OpenTelemetry traces: one trace follows a request from an HTTP call through Kafka.

FastAPI's own telemetry opens the server span (named after the route once the router has
chosen it, with no route scan of its own), FastStream's `KafkaTelemetryMiddleware`
carries the W3C `traceparent` header from publisher to consumer, and an outbox entry keeps
the `traceparent` of the call that wrote it (`current_traceparent`) so that the relay,
publishing later from its own loop, publishes inside that trace (`within`).
Spans are exported by OTLP/HTTP when ENTRAIDE_OTLP_TRACES_ENDPOINT is set; without it they
still give every log line its trace id. No span records a query string: they may hold names
(`QueryStringDropper`, on every span of the process); nor an exception's text, which may
hold what a person sent (`ExceptionTextDropper`).
"""

import contextlib
import logging
from collections.abc import Iterator, MutableMapping
from typing import Any

from fastapi.telemetry import TelemetryConfig
from opentelemetry import context, trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import Span, SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.sdk.trace.sampling import ParentBased, TraceIdRatioBased
from opentelemetry.trace import Status
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

from entraide.kit import tracebacks
from entraide.kit.paths import loggable
from entraide.kit.settings import ServiceSettings

log = logging.getLogger(__name__)

TRACEPARENT = "traceparent"
UNTRACED_PATHS = ("/healthz", "/readyz", "/metrics", "/static")
_PROPAGATOR = TraceContextTextMapPropagator()
_URL_ATTRIBUTES = ("http.url", "http.target", "url.full", "url.path")


def configure_tracing(service: str, settings: ServiceSettings) -> None:
    """Install the process's tracer provider (once, when a service process starts)."""
    provider = TracerProvider(
        resource=Resource.create({"service.name": f"entraide-{service}"}),
        sampler=ParentBased(TraceIdRatioBased(settings.trace_sample_ratio)),
    )
    provider.add_span_processor(QueryStringDropper())  # first: before any exporter reads
    provider.add_span_processor(ExceptionTextDropper())
    if settings.otlp_traces_endpoint:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        exporter = OTLPSpanExporter(endpoint=settings.otlp_traces_endpoint)
        provider.add_span_processor(BatchSpanProcessor(exporter))
    trace.set_tracer_provider(provider)


def _untraced(scope: MutableMapping[str, Any]) -> bool:
    return str(scope.get("path", "")).startswith(UNTRACED_PATHS)


# FastAPI's own server span for every route but the probes, metrics and static files; no
# span per dependency or serialisation step, no OpenTelemetry log records (a validation
# failure's record holds the input), no OpenTelemetry metrics (Prometheus has them).
HTTP_TELEMETRY: TelemetryConfig = {
    "tracing": True,
    "metrics": False,
    "logs": False,
    "operation_spans": False,
    "exclude": _untraced,
}


class QueryStringDropper(SpanProcessor):
    """A search's query string holds names and phone numbers: a span keeps the path only
    (url.query emptied, the query cut from the URL attributes), whoever opened it; and a
    link's credential is cut from its path (`paths.loggable`)."""

    def on_start(self, span: Span, parent_context: context.Context | None = None) -> None:
        attributes = span.attributes or {}
        for key in _URL_ATTRIBUTES:
            value = attributes.get(key)
            if isinstance(value, str) and (kept := loggable(value)) != value:
                span.set_attribute(key, kept)
        if attributes.get("url.query"):
            span.set_attribute("url.query", "")


class ExceptionTextDropper(SpanProcessor):
    """A span that fails records the exception by its type and frames (`kit.tracebacks`),
    never its text: OpenTelemetry puts the message in the event (`exception.message`, the
    stack trace) and in the status's description, and it may hold what a person sent."""

    def on_start(self, span: Span, parent_context: context.Context | None = None) -> None:
        set_status = span.set_status

        def record_exception(
            exception: BaseException,
            attributes: Any = None,
            timestamp: int | None = None,
            escaped: bool = False,
        ) -> None:
            recorded = {
                "exception.type": tracebacks.kind_of(exception),
                "exception.stacktrace": tracebacks.frames(exception),
                "exception.escaped": str(escaped),
            }
            span.add_event("exception", {**recorded, **(attributes or {})}, timestamp)

        def status_by_type(status: Any, description: str | None = None) -> None:
            if isinstance(status, Status) and status.description:  # « ValueError: <text> »
                status = Status(status.status_code, status.description.split(":", 1)[0])
            set_status(status, description.split(":", 1)[0] if description else description)

        span.record_exception = record_exception  # type: ignore[method-assign]
        span.set_status = status_by_type


def current_traceparent() -> str | None:
    """The W3C traceparent of the current span, to keep with work done later."""
    carrier: dict[str, str] = {}
    _PROPAGATOR.inject(carrier)
    return carrier.get(TRACEPARENT)


@contextlib.contextmanager
def within(traceparent: str | None) -> Iterator[None]:
    """Run the block inside the trace a stored traceparent names (as is, if none)."""
    if not traceparent:
        yield
        return
    token = context.attach(_PROPAGATOR.extract({TRACEPARENT: traceparent}))
    try:
        yield
    finally:
        context.detach(token)


@contextlib.contextmanager
def consumed(topic: str, headers: Any) -> Iterator[None]:
    """One record of a batch handled inside the trace its producer sent: a batch consumer's
    own span only links its records, so each gets a consumer span of its own, child of the
    record's `traceparent` header (as FastStream's middleware does for one message); a
    record without one, child of its batch's span. No span is started where its trace is
    not kept (a fifth are, as deployed: the others would be made and thrown away)."""
    traceparent = next(
        (bytes(v).decode() for k, v in headers or () if k == TRACEPARENT and v), None
    )
    if traceparent and not _sampled(traceparent):  # its trace is not kept: no span
        yield
        return
    if not traceparent and not trace.get_current_span().is_recording():
        # no trace of its own (a partner's event): it is in its batch's, not kept either
        yield
        return
    parent = _PROPAGATOR.extract({TRACEPARENT: traceparent}) if traceparent else None
    tracer = trace.get_tracer("entraide.kit")
    with tracer.start_as_current_span(
        f"{topic} process", context=parent, kind=trace.SpanKind.CONSUMER
    ):
        yield


@contextlib.contextmanager
def producing(topic: str, traceparent: str | None) -> Iterator[dict[str, str]]:
    """The headers that carry the trace a stored traceparent names to the record's
    consumers: inside a producer span of its own when that trace is kept, the
    traceparent as it is when it is not (no span to make and throw away)."""
    if not traceparent or not _sampled(traceparent):
        yield {TRACEPARENT: traceparent} if traceparent else {}
        return
    tracer = trace.get_tracer("entraide.kit")
    attributes = {"messaging.system": "kafka", "messaging.destination.name": topic}
    with (
        within(traceparent),
        tracer.start_as_current_span(
            f"{topic} publish", kind=trace.SpanKind.PRODUCER, attributes=attributes
        ),
    ):
        carrier: dict[str, str] = {}
        _PROPAGATOR.inject(carrier)
        yield carrier


def _sampled(traceparent: str) -> bool:
    """Whether a W3C traceparent's trace is kept (flags' last bit; unreadable: kept)."""
    flags = traceparent.rsplit("-", 1)[-1]
    try:
        return bool(int(flags, 16) & 1)
    except ValueError:
        return True


def trace_ids() -> dict[str, str]:
    """The current trace and span ids, as log fields (empty outside a span)."""
    span_context = trace.get_current_span().get_span_context()
    if not span_context.is_valid:
        return {}
    return {
        "trace_id": format(span_context.trace_id, "032x"),
        "span_id": format(span_context.span_id, "016x"),
    }
