"""Alert rules and the dashboard speak PromQL about series the services expose."""

import json
from pathlib import Path

import promql_parser
import pytest
import yaml

from entraide.kit import metrics

ROOT = Path(__file__).resolve().parents[2]
OBSERVABILITY = ROOT / "deploy" / "observability"
SUFFIXES = ("_bucket", "_count", "_sum", "_created")
KNOWN = {
    name
    for name in vars(metrics).values()
    if isinstance(name, str) and name.startswith(("entraide_", "http_", "faststream_"))
}


def metric_names(expr: str) -> set[str]:
    found: set[str] = set()

    def visit(node: object) -> None:
        if isinstance(node, promql_parser.VectorSelector) and node.name:
            found.add(node.name)

    promql_parser.walk(promql_parser.parse(expr), visit)
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
