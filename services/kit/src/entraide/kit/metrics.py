"""The Prometheus series an operator reads, named in one place.

Alert rules (deploy/observability/alerts.yaml), the Grafana dashboard and the tests read
these names; services take their metric objects from here rather than declaring their own.
HTTP series come from the kit's `http_metrics` (prometheus-fastapi-instrumentator's names)
and message series from FastStream's Prometheus middleware; the kit adds what neither measures: consumer lag, the outbox, dead
letters, the background loops, and the matching and privacy figures.
"""

import weakref
from collections.abc import Mapping
from dataclasses import dataclass

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

# kit/http_metrics.py (the instrumentator's names): rate, latency, errors (status="5xx")
HTTP_REQUESTS = "http_requests_total"
HTTP_LATENCY = "http_request_duration_seconds"

# FastStream's KafkaPrometheusMiddleware (kit/broker.py), prefix "faststream"
MESSAGES_RECEIVED = "faststream_received_messages_total"
MESSAGES_PROCESSED = "faststream_received_processed_messages_total"
MESSAGES_PROCESSING_SECONDS = "faststream_received_processed_messages_duration_seconds"
MESSAGES_EXCEPTIONS = "faststream_received_processed_messages_exceptions_total"
MESSAGES_PUBLISHED = "faststream_published_messages_total"  # outside the outbox (dead
# letters, rights answers): the outbox's events are OUTBOX_PUBLISHED, below

# the kit's own
CONSUMER_LAG = "entraide_consumer_lag_messages"
DEAD_LETTERS = "entraide_dead_letters_total"
OUTBOX_PUBLISHED = "entraide_outbox_published_events_total"
OUTBOX_FAILURES = "entraide_outbox_publish_failures_total"
OUTBOX_PENDING = "entraide_outbox_pending_documents"
OUTBOX_OLDEST_AGE = "entraide_outbox_oldest_pending_age_seconds"
MATCH_LATENCY = "entraide_match_latency_seconds"
MATCH_PLACEMENT = "entraide_match_placement_seconds"
MATCH_WAITLIST = "entraide_match_waitlist_requests"
MATCH_CHECK_LAPSED_ENDED = "entraide_match_check_lapsed_ended_total"
ERASURE_OPEN = "entraide_privacy_erasure_cases_open"
ERASURE_OLDEST_AGE = "entraide_privacy_erasure_oldest_open_age_seconds"
ERASURE_NEXT_DEADLINE = "entraide_privacy_erasure_next_deadline_seconds"
PARTNER_QUOTA_REFUSALS = "entraide_partner_quota_refusals_total"
# kit/outages.py: outages seen to begin, and those open now, by component
DEPENDENCY_OUTAGES = "entraide_dependency_outages_total"
DEPENDENCY_OUTAGES_OPEN = "entraide_dependency_outages_open"
# kit/notifications: every notification by template, channel and outcome
NOTIFICATIONS = "entraide_notifications_total"
# every background loop (kit/loops.py), by its name: rounds failed, last success, period
LOOP_FAILURES = "entraide_loop_rounds_failed_total"
LOOP_LAST_SUCCESS = "entraide_loop_last_success_timestamp_seconds"
LOOP_PERIOD = "entraide_loop_period_seconds"

LOOPS = (LOOP_FAILURES, LOOP_LAST_SUCCESS, LOOP_PERIOD)
COMMON = (
    HTTP_REQUESTS,
    HTTP_LATENCY,
    CONSUMER_LAG,
    DEAD_LETTERS,
    DEPENDENCY_OUTAGES,
    DEPENDENCY_OUTAGES_OPEN,
    *LOOPS,
)
CONSUMING = (
    MESSAGES_RECEIVED,
    MESSAGES_PROCESSED,
    MESSAGES_PROCESSING_SECONDS,
    MESSAGES_EXCEPTIONS,
)
OUTBOX = (OUTBOX_PUBLISHED, OUTBOX_FAILURES, OUTBOX_PENDING, OUTBOX_OLDEST_AGE)

# What each service's /metrics must expose once it has served a request (tests check it).
EXPECTED: Mapping[str, tuple[str, ...]] = {
    "directory": (*COMMON, NOTIFICATIONS),
    "intake": (*COMMON, *CONSUMING, *OUTBOX, PARTNER_QUOTA_REFUSALS, NOTIFICATIONS),
    "matching": (
        *COMMON,
        *CONSUMING,
        *OUTBOX,
        MATCH_LATENCY,
        MATCH_PLACEMENT,
        MATCH_WAITLIST,
        MATCH_CHECK_LAPSED_ENDED,
    ),
    "privacy": (*COMMON, ERASURE_OPEN, ERASURE_OLDEST_AGE, ERASURE_NEXT_DEADLINE, NOTIFICATIONS),
    "observatory": COMMON,
}


def _prom(name: str) -> str:
    """prometheus_client appends `_total` to counters itself."""
    return name.removesuffix("_total")


@dataclass(frozen=True)
class OutboxMetrics:
    """What the outbox relays of one registry report, each series labelled by the relay's
    `outbox` (its collection's name: a fixed word, never data), so that a service with two
    relays (intake's families and door, matching's matches and waitlist, directory's four)
    shows each: a stuck one is not hidden by the other, nor left out of /metrics."""

    published: Counter
    failures: Counter
    pending: Gauge
    oldest_age: Gauge


_OUTBOX_METRICS: "weakref.WeakKeyDictionary[CollectorRegistry, OutboxMetrics]" = (
    weakref.WeakKeyDictionary()
)


def outbox_metrics(registry: CollectorRegistry) -> OutboxMetrics:
    """The outbox series of `registry`, made once and shared by its relays."""
    if (known := _OUTBOX_METRICS.get(registry)) is not None:
        return known
    label = ["outbox"]
    made = OutboxMetrics(
        published=Counter(_prom(OUTBOX_PUBLISHED), "Events published", label, registry=registry),
        failures=Counter(_prom(OUTBOX_FAILURES), "Failed publish rounds", label, registry=registry),
        pending=Gauge(
            OUTBOX_PENDING, "Documents with events not yet published", label, registry=registry
        ),
        oldest_age=Gauge(
            OUTBOX_OLDEST_AGE,
            "Age of the oldest event not yet published (0 when none)",
            label,
            registry=registry,
        ),
    )
    _OUTBOX_METRICS[registry] = made
    return made


def dead_letters(registry: CollectorRegistry) -> Counter:
    return Counter(
        _prom(DEAD_LETTERS),
        "Messages copied to <topic>.dlq after retries, by original topic and reason",
        ["topic", "reason"],
        registry=registry,
    )


def partner_quota_refusals(registry: CollectorRegistry) -> Counter:
    """Intake's partner door: requests refused past the partner's quota, by the partner's
    source (a URN naming an organisation, not a person)."""
    return Counter(
        _prom(PARTNER_QUOTA_REFUSALS),
        "Partner requests refused past the partner's quota (429 quota-exceeded), by source",
        ["source"],
        registry=registry,
    )


@dataclass(frozen=True)
class LoopMetrics:
    """What the background loops report, labelled by the loop's name (a few fixed words,
    never data): `last_success` holds the loop's start until its first success, so a loop
    that never succeeds ages like one that stopped succeeding."""

    failed: Counter
    last_success: Gauge
    period: Gauge


def loop_metrics(registry: CollectorRegistry) -> LoopMetrics:
    return LoopMetrics(
        failed=Counter(
            _prom(LOOP_FAILURES),
            "Rounds of a background loop that failed",
            ["loop"],
            registry=registry,
        ),
        last_success=Gauge(
            LOOP_LAST_SUCCESS,
            "Unix time of the loop's last successful round (its start until the first)",
            ["loop"],
            registry=registry,
        ),
        period=Gauge(
            LOOP_PERIOD, "Seconds between two rounds of the loop", ["loop"], registry=registry
        ),
    )


def consumer_lag(registry: CollectorRegistry) -> Gauge:
    return Gauge(
        CONSUMER_LAG,
        "Messages on the partition past this replica's position (high watermark - position)",
        ["group", "topic", "partition"],
        registry=registry,
    )


@dataclass(frozen=True)
class MatchingMetrics:
    """Matching observes `latency` when it first proposes a match for a request,
    `placement` for each online placement, sets `waitlist` after each batch and counts in
    `check_lapsed_ended` the proposals its rounds end as their volunteer's honorability
    check lapsed."""

    latency: Histogram
    placement: Histogram
    waitlist: Gauge
    check_lapsed_ended: Counter


@dataclass(frozen=True)
class PrivacyMetrics:
    """Privacy sets these from its open erasure cases (0 when none)."""

    open_cases: Gauge
    oldest_open_age: Gauge
    next_deadline: Gauge


def matching_metrics(registry: CollectorRegistry) -> MatchingMetrics:
    return MatchingMetrics(
        latency=Histogram(
            MATCH_LATENCY,
            "From a request's submission to its first match proposal",
            buckets=(60, 300, 900, 3600, 4 * 3600, 24 * 3600, 3 * 24 * 3600, 7 * 24 * 3600),
            registry=registry,
        ),
        placement=Histogram(
            MATCH_PLACEMENT,
            "From a request event consumed to its proposal stored, or its waitlisting",
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5),
            registry=registry,
        ),
        waitlist=Gauge(MATCH_WAITLIST, "Requests nobody fits yet", registry=registry),
        check_lapsed_ended=Counter(
            _prom(MATCH_CHECK_LAPSED_ENDED),
            "Proposals the scheduler's round ended as their volunteer's honorability check lapsed",
            registry=registry,
        ),
    )


def privacy_metrics(registry: CollectorRegistry) -> PrivacyMetrics:
    return PrivacyMetrics(
        open_cases=Gauge(ERASURE_OPEN, "Erasure cases not yet closed", registry=registry),
        oldest_open_age=Gauge(
            ERASURE_OLDEST_AGE, "Age of the oldest open erasure case", registry=registry
        ),
        next_deadline=Gauge(
            ERASURE_NEXT_DEADLINE,
            "Seconds until the nearest open case's legal deadline (negative: overdue)",
            registry=registry,
        ),
    )
