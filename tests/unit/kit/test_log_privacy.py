"""Logs and spans keep paths, never query strings (a search's query holds names)."""

import logging
import sys
from typing import Any
from unittest.mock import patch

from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from entraide.kit.logs import PathOnly, TraceIds, json_formatter
from entraide.kit.paths import loggable
from entraide.kit.telemetry import (
    ExceptionTextDropper,
    QueryStringDropper,
    consumed,
    current_traceparent,
    within,
)


def access_record(path: str) -> logging.LogRecord:
    return logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", path, "1.1", 200),
        None,
    )


def test_access_lines_keep_the_path_without_the_query_string() -> None:
    record = access_record("/familles?nom=Diallo&telephone=0612345678")
    PathOnly().filter(record)
    assert record.getMessage() == '127.0.0.1:5000 - "GET /familles HTTP/1.1" 200'


TOKEN = "bbd4333af2eb4687904c54aedac0b479.ba2238e5030d4d22.1796725700.5ed3488f0a1b2c3d"


def test_access_lines_leave_out_the_token_of_a_link_to_a_persons_copy() -> None:
    """Such a link opens her data without signing in, for seven days."""
    for path, kept in [
        (f"/vos-droits/export/{TOKEN}", "/vos-droits/export/…"),
        (f"/vos-droits/export/{TOKEN}/donnees.json?x=1", "/vos-droits/export/…/donnees.json"),
    ]:
        record = access_record(path)
        PathOnly().filter(record)
        assert record.getMessage() == f'127.0.0.1:5000 - "GET {kept} HTTP/1.1" 200'


def test_spans_leave_out_the_token_of_a_link_to_a_persons_copy() -> None:
    exported = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(QueryStringDropper())
    provider.add_span_processor(SimpleSpanProcessor(exported))
    attributes = {
        "url.full": f"http://x/vos-droits/export/{TOKEN}/donnees.json",
        "url.path": f"/vos-droits/export/{TOKEN}",
    }
    provider.get_tracer("t").start_span("GET", attributes=attributes).end()
    [span] = exported.get_finished_spans()
    assert span.attributes == {
        "url.full": "http://x/vos-droits/export/…/donnees.json",
        "url.path": "/vos-droits/export/…",
    }


def test_spans_keep_the_url_without_the_query_string() -> None:
    exported = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(QueryStringDropper())
    provider.add_span_processor(SimpleSpanProcessor(exported))
    attributes = {
        "http.url": "http://x/familles?nom=Diallo",
        "http.target": "/familles?nom=D",
        "url.full": "http://x/familles?telephone=0612345678",
        "url.query": "nom=Diallo&telephone=0612345678",
        "url.path": "/familles",
    }
    provider.get_tracer("t").start_span("GET /familles", attributes=attributes).end()
    [span] = exported.get_finished_spans()
    assert span.attributes == {
        "http.url": "http://x/familles",
        "http.target": "/familles",
        "url.full": "http://x/familles",
        "url.query": "",
        "url.path": "/familles",
    }


def test_log_lines_inside_a_span_carry_its_trace_id() -> None:
    tracer = TracerProvider().get_tracer("t")
    record = access_record("/")
    with tracer.start_as_current_span("work") as span:
        TraceIds().filter(record)
        traceparent = current_traceparent()
    assert record.trace_id == format(span.get_span_context().trace_id, "032x")  # type: ignore[attr-defined]
    # later, elsewhere: work resumed from the stored traceparent joins the same trace
    with within(traceparent), tracer.start_as_current_span("relay") as later:
        assert later.get_span_context().trace_id == span.get_span_context().trace_id


class CountingTracer:
    """The kit's tracer in a test: spans exported in memory (`exported`), and the names of
    those the kit started (`started`), while `counting()` is on."""

    def __init__(self) -> None:
        self.exported = InMemorySpanExporter()
        provider = TracerProvider()
        provider.add_span_processor(SimpleSpanProcessor(self.exported))
        self.tracer = trace.get_tracer("t", tracer_provider=provider)
        self.started: list[str] = []

    def start_as_current_span(self, name: str, **kwargs: Any) -> Any:
        self.started.append(name)
        return self.tracer.start_as_current_span(name, **kwargs)

    def counting(self) -> Any:
        return patch.object(trace, "get_tracer", lambda *a, **k: self)


def test_a_records_consumer_span_follows_its_traces_sampling() -> None:
    """A record from a kept trace gets its consumer span, child of the producer's; for one
    from a trace the sampler dropped no span is even started (none to make and throw away
    per record)."""
    kit = CountingTracer()
    kept = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
    dropped = "00-0af7651916cd43dd8448eb211c80319d-b7ad6b7169203332-00"
    with kit.counting():
        for traceparent in (kept, dropped, kept):
            with consumed("entraide.intake.requests.v1", [("traceparent", traceparent.encode())]):
                pass
    assert kit.started == ["entraide.intake.requests.v1 process"] * 2
    spans = kit.exported.get_finished_spans()
    assert [format(s.context.trace_id, "032x") for s in spans] == [kept.split("-")[1]] * 2


def test_a_record_without_a_trace_follows_its_batchs_sampling() -> None:
    """A partner's event comes without a traceparent: in a batch whose trace is kept it
    gets its consumer span, child of the batch's; in one the sampler dropped, none is
    started."""
    kit = CountingTracer()
    dropped = trace.NonRecordingSpan(
        trace.SpanContext(0xABC, 0xDEF, is_remote=False, trace_flags=trace.TraceFlags(0))
    )
    with kit.counting():
        with trace.use_span(dropped), consumed("entraide.partner.events.v1", []):
            pass
        assert kit.started == []
        with (
            kit.tracer.start_as_current_span("batch") as batch,
            consumed("entraide.partner.events.v1", []),
        ):
            pass
    assert kit.started == ["entraide.partner.events.v1 process"]
    [record, _] = kit.exported.get_finished_spans()
    assert record.parent is not None
    assert record.parent.span_id == batch.get_span_context().span_id


def test_every_link_carrying_a_token_in_its_path_is_one_the_logs_cut() -> None:
    """A route of privacy's public pages that takes a token in its path (a new one, or
    one renamed) is written in logs and spans without it."""
    from entraide.privacy.entrypoints.http.public_rights import router

    paths = [route.path for route in router.routes if "{token}" in getattr(route, "path", "")]
    assert paths
    for path in paths:
        written = loggable(path.replace("{token}", TOKEN))
        assert TOKEN not in written, path


def test_a_logged_failure_keeps_its_frames_and_types_never_its_text() -> None:
    """An exception's text may hold what a person sent (a validation error quotes its
    input): a log line keeps where it failed and what failed, not what it said."""

    typed = {"nom": "Amina Diallo", "telephone": "06 12 34 56 78"}

    def parse_the_form() -> None:
        try:
            int(typed["nom"])
        except ValueError as exc:
            raise RuntimeError(f"could not read {typed['telephone']}") from exc

    try:
        parse_the_form()
    except RuntimeError:
        record = logging.LogRecord("uvicorn.error", logging.ERROR, __file__, 1, "boom", (), None)
        record.exc_info = sys.exc_info()
    line = json_formatter("intake").format(record)
    assert "parse_the_form" in line  # the frames
    assert "builtins.ValueError" in line
    assert "builtins.RuntimeError" in line
    assert "direct cause" in line
    assert "Amina" not in line
    assert "06 12 34" not in line


def test_a_span_records_a_failure_by_its_type_and_frames_never_its_text() -> None:
    """A span that fails recorded the exception's message (an event's `exception.message`
    and stack trace, the status's description): what a person sent, exported to the
    tracing back end. It keeps the type and the frames."""
    exported = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(ExceptionTextDropper())
    provider.add_span_processor(SimpleSpanProcessor(exported))
    typed = {"nom": "Amina Diallo"}
    try:
        with provider.get_tracer("t").start_as_current_span("POST /familles"):
            int(typed["nom"])
    except ValueError:
        pass
    [span] = exported.get_finished_spans()
    [event] = span.events
    recorded = repr(dict(event.attributes or {})) + repr(span.status.description)
    assert event.attributes["exception.type"] == "builtins.ValueError"
    assert "int(typed" in event.attributes["exception.stacktrace"]  # the frames
    assert "Amina" not in recorded
    assert span.status.description == "ValueError"
