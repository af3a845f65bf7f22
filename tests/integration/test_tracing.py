"""One trace follows a request from intake's HTTP call, through the outbox and Kafka, into
matching's consumer; log lines written inside it carry its trace id."""

import logging

import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from entraide.contracts.topics import REQUESTS
from entraide.intake.app import create_app as intake_app
from entraide.kit.logs import TraceIds
from entraide.kit.telemetry import QueryStringDropper
from entraide.matching.app import create_app as matching_app
from tests.support import eventually, request_body, serving


@pytest.fixture(scope="session")
def spans() -> InMemorySpanExporter:
    """Every span of this process, in memory (the kit uses the global tracer provider)."""
    provider = trace.get_tracer_provider()
    if not isinstance(provider, TracerProvider):
        provider = TracerProvider()
        provider.add_span_processor(QueryStringDropper())  # as kit.telemetry configures it
        trace.set_tracer_provider(provider)
    exporter = InMemorySpanExporter()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    return exporter


def ancestors(span: ReadableSpan, by_id: dict[int, ReadableSpan]) -> list[ReadableSpan]:
    chain = []
    while span.parent is not None and span.parent.span_id in by_id:
        span = by_id[span.parent.span_id]
        chain.append(span)
    return chain


async def test_one_trace_spans_intake_http_call_and_matching_consumer(
    spans, intake_settings, matching_settings, staff_bearer, mongo, caplog
) -> None:
    spans.clear()
    views = mongo[matching_settings.database]["requests"]
    caplog.set_level(logging.INFO)
    # one line an event
    caplog.set_level(logging.DEBUG, logger="entraide.matching.entrypoints.consumers.requests")
    caplog.handler.addFilter(TraceIds())
    async with (
        serving(matching_app(matching_settings)),
        serving(intake_app(intake_settings)) as intake,
    ):
        created = await intake.post("/api/v1/requests", json=request_body(), headers=staff_bearer)
        assert created.status_code == 201
        request_id = created.json()["request_id"]
        await eventually(lambda: views.find_one({"_id": request_id}), what="request in matching")

    finished = spans.get_finished_spans()
    by_id = {s.context.span_id: s for s in finished}
    [http] = [s for s in finished if s.kind == SpanKind.SERVER and "/api/v1/requests" in s.name]
    in_trace = [s for s in finished if s.context.trace_id == http.context.trace_id]
    consumed = [
        s for s in in_trace if s.kind == SpanKind.CONSUMER and s.name == f"{REQUESTS.name} process"
    ]
    assert consumed, [s.name for s in in_trace]
    # the consumer's span descends from the relay's publish, which descends from the HTTP call
    chain = ancestors(consumed[0], by_id)
    assert any(s.kind == SpanKind.PRODUCER and REQUESTS.name in s.name for s in chain)
    assert chain[-1] is http
    # matching's log line for this event names that trace
    trace_id = format(http.context.trace_id, "032x")
    assert any(
        r.getMessage() == "request event" and getattr(r, "trace_id", None) == trace_id
        for r in caplog.records
    )


async def test_server_spans_are_named_by_route_without_the_query(
    spans, intake_settings, staff_bearer
) -> None:
    """FastAPI's own telemetry names the span after the route's template, once the router
    chose it (no id in the name), and keeps no query string (it may hold a name)."""
    spans.clear()
    async with serving(intake_app(intake_settings), ready=False) as intake:
        created = await intake.post("/api/v1/requests", json=request_body(), headers=staff_bearer)
        assert created.status_code == 201, created.text
        family_id = "f0a1b2c3"  # nobody's: 404, the span is named all the same
        found = await intake.get(f"/api/v1/families/{family_id}?nom=Diallo", headers=staff_bearer)
        assert found.status_code == 404, found.text
        await intake.get("/healthz")
    servers = [  # intake's (the in-process sign-in server answers its key requests too)
        s
        for s in spans.get_finished_spans()
        if s.kind == SpanKind.SERVER and s.name.split(" ")[-1].startswith(("/api", "/healthz"))
    ]
    assert sorted(s.name for s in servers) == [
        "GET /api/v1/families/{family_id}",
        "POST /api/v1/requests",
    ]  # the probe is not traced
    [read] = [s for s in servers if s.name.startswith("GET")]
    assert read.attributes["http.route"] == "/api/v1/families/{family_id}"
    assert read.attributes["url.path"] == f"/api/v1/families/{family_id}"
    assert not read.attributes.get("url.query")
    assert not any("Diallo" in str(v) for s in servers for v in s.attributes.values())
