"""Alert rules and the dashboard speak PromQL about series the services expose (each
service's /metrics is checked against `metrics.EXPECTED` by tests/e2e/test_operations.py)
or that Prometheus and the Kafka Exporter the RUNBOOK asks for export."""

import json
import re
from pathlib import Path

import promql_parser
import pytest
import yaml

from entraide.kit import metrics

ROOT = Path(__file__).resolve().parents[2]
OBSERVABILITY = ROOT / "deploy" / "observability"
SUFFIXES = ("_bucket", "_count", "_sum", "_created")
EXTERNAL = {  # series from outside the services, by who exports them
    "up": "Prometheus itself, one per scrape target",
    # the Kafka Exporter the RUNBOOK asks for (Strimzi's), per consumer group or topic
    "kafka_consumergroup_lag": "Kafka Exporter",
    "kafka_consumergroup_current_offset": "Kafka Exporter",
    "kafka_topic_partition_current_offset": "Kafka Exporter",
    "kafka_topic_partition_oldest_offset": "Kafka Exporter",
}
KNOWN = {name for names in metrics.EXPECTED.values() for name in names} | set(EXTERNAL)


def metric_names(expr: str) -> set[str]:
    found: set[str] = set()

    def visit(node: object) -> None:
        if isinstance(node, promql_parser.VectorSelector) and node.name:
            found.add(node.name)

    promql_parser.walk(promql_parser.parse(expr), visit)
    return found


def selectors(expr: str) -> list[tuple[str, dict[str, str]]]:
    """Each series an expression reads, with its equality matchers."""
    return [
        (name, {m.name: m.value for m in matchers if m.op == promql_parser.MatchOp.Equal})
        for name, matchers in selected(expr)
    ]


def selected(expr: str) -> list[tuple[str, list]]:
    """Each series an expression reads, with all its matchers."""
    found: list[tuple[str, list]] = []

    def visit(node: object) -> None:
        if isinstance(node, promql_parser.VectorSelector) and node.name:
            found.append((node.name, list(node.matchers.matchers)))

    promql_parser.walk(promql_parser.parse(expr), visit)
    return found


def reads(rule: dict, name: str, label: str, value: str) -> bool:
    """Whether the rule reads `name` for series whose `label` is `value` (= or =~)."""
    for found, matchers in selected(rule["expr"]):
        if found != name:
            continue
        on_label = [m for m in matchers if m.name == label]
        if any(
            (m.op == promql_parser.MatchOp.Equal and m.value == value)
            or (m.op == promql_parser.MatchOp.Re and re.fullmatch(m.value, value))
            for m in on_label
        ):
            return True
    return False


def aggregations(expr: str) -> list:
    found: list = []

    def visit(node: object) -> None:
        if isinstance(node, promql_parser.AggregateExpr):
            found.append(node)

    promql_parser.walk(promql_parser.parse(expr), visit)
    return found


def alert(name: str) -> dict:
    (found,) = [r for r in rules() if r["alert"] == name]
    return found


def series(name: str) -> str:
    for suffix in SUFFIXES:
        if name.endswith(suffix) and name.removesuffix(suffix) in KNOWN:
            return name.removesuffix(suffix)
    return name


def rules() -> list[dict]:
    doc = yaml.safe_load((OBSERVABILITY / "alerts.yaml").read_text())
    return [rule for group in doc["groups"] for rule in group["rules"]]


@pytest.mark.parametrize("rule", rules(), ids=lambda r: r["alert"])
def test_every_alert_parses_and_reads_series_the_services_expose(rule) -> None:
    names = metric_names(rule["expr"])
    assert names
    assert {series(n) for n in names} <= KNOWN
    assert rule["labels"]["severity"] in ("info", "warning", "critical")
    assert rule["annotations"]["summary"]


def anchors() -> set[str]:
    """GitHub's anchors of the RUNBOOK's headings."""
    headings = re.findall(r"^#+ (.+)$", (ROOT / "deploy" / "RUNBOOK.md").read_text(), re.M)
    return {re.sub(r"[^\w\- ]", "", h.lower()).replace(" ", "-") for h in headings}


@pytest.mark.parametrize("rule", rules(), ids=lambda r: r["alert"])
def test_a_rule_s_runbook_link_leads_to_a_section(rule) -> None:
    link = rule["annotations"].get("runbook")
    if link is not None:
        path, _, anchor = link.partition("#")
        assert path == "deploy/RUNBOOK.md"
        assert anchor in anchors()


def test_every_background_loop_is_watched_and_the_retention_sweep_within_two_days() -> None:
    read = {rule["alert"]: selectors(rule["expr"]) for rule in rules()}
    used = {name for found in read.values() for name, _ in found}
    assert {metrics.LOOP_FAILURES, metrics.LOOP_LAST_SUCCESS, metrics.LOOP_PERIOD} <= used
    sweep = {"job": "privacy", "loop": "sweep"}  # privacy/app.py names its loop "sweep"
    (late,) = [
        rule for rule in rules() if (metrics.LOOP_LAST_SUCCESS, sweep) in read[rule["alert"]]
    ]
    assert "> 2 * 86400" in late["expr"]
    assert late["labels"]["severity"] == "critical"


def test_the_issue_s_alerts_are_there() -> None:
    exprs = " ".join(rule["expr"] for rule in rules())
    for name in (
        metrics.DEAD_LETTERS,
        metrics.OUTBOX_OLDEST_AGE,
        metrics.CONSUMER_LAG,
        metrics.ERASURE_NEXT_DEADLINE,
    ):
        assert name in exprs


def test_the_dashboard_graphs_known_series_only() -> None:
    dashboard = json.loads((OBSERVABILITY / "grafana-dashboard.json").read_text())
    exprs = [t["expr"] for panel in dashboard["panels"] for t in panel["targets"]]
    shown = {series(n) for e in exprs for n in metric_names(e)}
    assert shown <= KNOWN
    assert {metrics.CONSUMER_LAG, metrics.DEAD_LETTERS, metrics.OUTBOX_PENDING} <= shown
    # what the new alerts watch, to look at before and after they fire
    assert {
        metrics.LOOP_LAST_SUCCESS,
        metrics.LOOP_FAILURES,
        metrics.NOTIFICATIONS,
        metrics.DEPENDENCY_OUTAGES_OPEN,
        "up",
    } <= shown


def test_notifications_given_up_and_dependencies_down_for_5_minutes_alert() -> None:
    failed = [r for r in rules() if reads(r, metrics.NOTIFICATIONS, "outcome", "failed")]
    assert failed
    assert any("increase(" in r["expr"] for r in failed)
    down = [r for r in rules() if metrics.DEPENDENCY_OUTAGES_OPEN in metric_names(r["expr"])]
    assert [r["for"] for r in down] == ["5m"]


def test_a_stalled_consumer_is_seen_per_job_whatever_the_others_process() -> None:
    stalled = alert("EntraideConsumerStalled")
    # no fleet-wide sum: each sum keeps the job (one service's traffic masks no other's)
    for aggregation in aggregations(stalled["expr"]):
        assert aggregation.modifier is not None
        assert "job" in aggregation.modifier.labels
    assert " on ()" not in stalled["expr"]
    exporter = [r for r in rules() if "kafka_consumergroup_lag" in metric_names(r["expr"])]
    assert any("kafka_consumergroup_current_offset" in metric_names(r["expr"]) for r in exporter)


def test_dead_letters_alert_while_a_dead_letter_topic_holds_unreplayed_messages() -> None:
    held = [
        r
        for r in rules()
        if reads(r, "kafka_topic_partition_current_offset", "topic", "entraide.x.v1.dlq")
    ]
    assert held
    assert all(
        reads(r, "kafka_consumergroup_lag", "consumergroup", "entraide-dlq-replay.*.*")
        for r in held
    )


@pytest.mark.parametrize("job", sorted(metrics.EXPECTED))
def test_a_service_that_is_not_scraped_alerts(job: str) -> None:
    """A failed scrape makes every other rule about the service silent."""
    absent = [r for r in rules() if f'absent(up{{job="{job}"}})' in r["expr"]]
    down = [r for r in rules() if reads(r, "up", "job", job) and "== 0" in r["expr"]]
    assert absent
    assert down
