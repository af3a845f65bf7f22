"""What an operator reads from a full run of the services as processes: every
/metrics exposes the series the alerts and the dashboard use, and the logs (JSON, with
trace ids) hold no personal data, even after a search by name and a rejected form."""

import json
import re

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from entraide.kit.metrics import EXPECTED
from tests.support import IDENTITY_VALUES, REQUEST_BODY, eventually, request_body


@pytest.fixture
def fast_lag_sampling(monkeypatch):
    """The consumer-lag gauge every second (taken by `processes`, requested after this)."""
    monkeypatch.setenv("ENTRAIDE_CONSUMER_LAG_INTERVAL_SECONDS", "1")


def exposed(text: str) -> set[str]:
    """Metric names as exposed (counters with their `_total`)."""
    names = set()
    for family in text_string_to_metric_families(text):
        names.add(family.name)
        names.add(f"{family.name}_total" if family.type == "counter" else family.name)
    return names


async def test_metrics_name_the_operators_series_and_logs_hold_no_personal_data(
    fast_lag_sampling, processes, dev_issuer
) -> None:
    urls = {name: url for name, (url, _) in processes.items()}
    async with httpx.AsyncClient(timeout=5) as http:

        async def all_ready() -> bool:
            try:
                codes = [(await http.get(f"{url}/readyz")).status_code for url in urls.values()]
            except httpx.TransportError:
                return False
            return codes == [200] * len(urls)

        await eventually(all_ready, timeout=60, what="four services ready")
        token = await dev_issuer.token_for("ppm-nantes")
        staff = {"Authorization": f"Bearer {token}"}
        created = await http.post(
            f"{urls['intake']}/api/v1/requests", json=request_body(), headers=staff
        )
        assert created.status_code == 201
        request_id = created.json()["request_id"]
        # a rejected request that quotes identity values, and a search by name and phone
        rejected = {**request_body(), "postal_code": "Nantes", "children": "Amina"}
        bad = await http.post(f"{urls['intake']}/api/v1/requests", json=rejected, headers=staff)
        assert bad.status_code == 422
        parent = REQUEST_BODY["parent"]
        session = {"Cookie": f"entraide_session={token}"}
        form = (await http.get(f"{urls['intake']}/familles", headers=session)).text
        csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', form)
        assert csrf, "the families page has no CSRF token"
        searched = {
            "nom": parent["last_name"],
            "prenom": parent["first_name"],
            "telephone": parent["phone"],
            "csrf": csrf.group(1),
        }
        search = await http.post(f"{urls['intake']}/familles", data=searched, headers=session)
        assert search.status_code == 200

        async def in_matching() -> bool:
            answer = await http.get(
                f"{urls['matching']}/api/v1/requests/{request_id}", headers=staff
            )
            return answer.status_code == 200

        await eventually(in_matching, what="request in matching")

        async def lag_sampled() -> bool:
            text = (await http.get(f"{urls['matching']}/metrics")).text
            return "entraide_consumer_lag_messages{" in text

        await eventually(lag_sampled, timeout=30, what="matching's consumer lag sampled")
        for service, url in urls.items():
            names = exposed((await http.get(f"{url}/metrics")).text)
            missing = set(EXPECTED[service]) - names
            assert not missing, f"{service} lacks {sorted(missing)}"

    traced = 0
    for service, (_, log) in processes.items():
        text = log.read_text()
        leaked = [value for value in IDENTITY_VALUES if value in text]
        assert not leaked, f"{service}'s log holds {leaked}"
        lines = [json.loads(line) for line in text.splitlines() if line.startswith("{")]
        assert lines, f"no JSON log lines in {log}"
        traced += sum(1 for line in lines if "trace_id" in line)
    assert traced, "no log line carries a trace id"
