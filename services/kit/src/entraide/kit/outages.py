"""Dependencies that break: one answer on every route, two log lines per outage.

When the store, Kafka, the key vault or another service does not answer, a request is
refused with 503, the component named and `Retry-After` (JSON under /api, a French page
elsewhere): nothing was recorded, the caller may try again. The process notes the outage
once when it starts (a warning and `entraide_dependency_outages_total{component}`) and
once when it ends, with its duration; `entraide_dependency_outages_open{component}` is 1
while it lasts, so an alert sees an outage that goes on (the counter only says one began).
What the drivers repeat in between (aiokafka logs a line for each reconnection attempt,
hundreds a second) stays out of the logs.
"""

import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge

from entraide.kit.loops import Periodic
from entraide.kit.metrics import DEPENDENCY_OUTAGES, DEPENDENCY_OUTAGES_OPEN

log = logging.getLogger(__name__)

STORE, KAFKA, KEY_VAULT = "store", "kafka", "key-vault"
NAMES_FR = {
    STORE: "la base de données",
    KAFKA: "le bus d'événements (Kafka)",
    KEY_VAULT: "le coffre des clés (service vie privée)",
}
RETRY_AFTER_SECONDS = {STORE: 5, KAFKA: 10, KEY_VAULT: 5}
WATCH_EVERY_SECONDS = 2.0

# aiokafka's lines that mean the broker is out of reach (the others pass: a rebalance, a
# commit refused, a coordinator marked dead while a group forms, are no outage)
_UNREACHABLE = (
    "Unable connect",
    "Unable to update metadata",
    "NodeNotReadyError",
    "KafkaConnectionError",
    "Connection at",
)


class DependencyUnavailableError(Exception):
    """A dependency did not answer (or answered 5xx): the request is refused with 503."""

    def __init__(self, component: str, reason: str = "") -> None:
        super().__init__(f"{component} unavailable: {reason}" if reason else component)
        self.component, self.reason = component, reason


class Outages:
    """The dependencies this process currently finds down, since when."""

    def __init__(self) -> None:
        self._since: dict[str, float] = {}
        self._counter: Counter | None = None
        self._open: Gauge | None = None

    def bind(self, registry: CollectorRegistry) -> None:
        """Count outages in the service's registry (the one /metrics exposes)."""
        self._counter = Counter(
            DEPENDENCY_OUTAGES.removesuffix("_total"),
            "Outages of a dependency this process saw begin, by component.",
            ["component"],
            registry=registry,
        )
        self._open = Gauge(
            DEPENDENCY_OUTAGES_OPEN,
            "Outages of a dependency under way in this process (1 while it lasts), by component.",
            ["component"],
            registry=registry,
        )
        for component in self._since:
            self._open.labels(component=component).set(1)

    def broken(self, component: str, reason: str = "") -> None:
        """The dependency failed: logged and counted once per outage."""
        if component in self._since:
            return
        self._since[component] = time.monotonic()
        if self._counter is not None:
            self._counter.labels(component=component).inc()
        if self._open is not None:
            self._open.labels(component=component).set(1)
        log.warning("dependency unreachable", extra={"component": component, "reason": reason})

    def restored(self, component: str) -> None:
        """The dependency answers again: logged once, with how long it was away."""
        since = self._since.pop(component, None)
        if self._open is not None:
            self._open.labels(component=component).set(0)
        if since is not None:
            seconds = round(time.monotonic() - since, 1)
            log.warning("dependency back", extra={"component": component, "outage_s": seconds})

    def down(self) -> set[str]:
        return set(self._since)

    def is_down(self, component: str) -> bool:
        return component in self._since


OUTAGES = Outages()  # one per process, as the logging it quiets


class QuietBrokerOutage(logging.Filter):
    """On the log handler: aiokafka's lines about an unreachable broker become one
    `dependency unreachable` warning per outage (the watcher logs its end)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not record.name.startswith("aiokafka") or record.levelno < logging.WARNING:
            return True
        if OUTAGES.is_down(KAFKA):
            return False
        message = record.getMessage()
        if any(sign in message for sign in _UNREACHABLE):
            OUTAGES.broken(KAFKA, message.split(":", 1)[0][:80])
            return False
        return True


def watcher(checks: Mapping[str, Callable[[], Awaitable[bool]]]) -> Periodic:
    """While a dependency is down, check it every few seconds; note when it is back."""

    async def look() -> None:
        for component in OUTAGES.down():
            check = checks.get(component)
            if check is not None and await check():
                OUTAGES.restored(component)

    return Periodic(look, WATCH_EVERY_SECONDS, name="outages", wait_first=True)


def refusal(component: str) -> tuple[dict[str, Any], dict[str, str]]:
    """The 503's body and headers for an unavailable `component`."""
    name = NAMES_FR.get(component, component)
    body = {
        "code": f"{component}-unavailable",
        "component": component,
        "message": f"Indisponible pour le moment : {name}. Rien n'a été enregistré ; "
        "réessayez dans quelques instants.",
    }
    return body, {"Retry-After": str(RETRY_AFTER_SECONDS.get(component, 5))}
