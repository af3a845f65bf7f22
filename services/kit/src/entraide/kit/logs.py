"""JSON logs on stderr. Log identifiers and counts, never a family's or volunteer's identity.

Every line carries the current trace and span ids (when there is a span), so a line leads
to its trace. Access lines keep the path only (`paths.loggable`): a search's query string
holds names, and a link to a person's copy of her data opens it.
"""

import logging
import sys
from typing import Any

from pythonjsonlogger.json import JsonFormatter

from entraide.kit import tracebacks
from entraide.kit.outages import QuietBrokerOutage
from entraide.kit.paths import loggable
from entraide.kit.telemetry import trace_ids


class TraceIds(logging.Filter):
    """Add `trace_id` and `span_id` of the current span to the record."""

    def filter(self, record: logging.LogRecord) -> bool:
        for key, value in trace_ids().items():
            setattr(record, key, value)
        return True


class PathOnly(logging.Filter):
    """uvicorn's access line without the query string and the credential a link carries
    in its path (args: client, method, path, ...)."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            record.args = (*args[:2], loggable(args[2]), *args[3:])
        return True


class FramesOnly(JsonFormatter):
    """JSON lines whose tracebacks keep where it failed (the frames) and what failed (each
    exception's type, its causes too), never an exception's text (`kit.tracebacks`)."""

    def formatException(self, ei: Any) -> str:  # noqa: N802 (logging's name)
        return tracebacks.frames(ei[1])


def json_formatter(service: str) -> logging.Formatter:
    """The services' one log format: JSON, the service named, tracebacks without texts."""
    return FramesOnly(
        "%(asctime)s %(levelname)s %(name)s %(message)s",
        rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
        static_fields={"service": service},
    )


def configure_logging(level: str, service: str) -> None:
    """Send every logger (uvicorn's and FastStream's included) to one JSON handler."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(json_formatter(service))
    handler.addFilter(TraceIds())
    handler.addFilter(QuietBrokerOutage())  # a broker outage: two lines, not thousands
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access", "faststream", "aiokafka"):
        logger = logging.getLogger(name)
        logger.handlers[:] = []
        logger.propagate = True
    access = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, PathOnly) for f in access.filters):
        access.addFilter(PathOnly())
    logging.getLogger("aiokafka").setLevel(max(logging.WARNING, root.level))
