"""The four services and the observatory as real processes (uvicorn, JSON logs), trusting the tests' issuer."""

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.auth_support import DevIssuer
from tests.infra import Endpoints, free_port

SERVICES = ("directory", "intake", "matching", "privacy", "observatory")


@pytest.fixture
def processes(
    infra: Endpoints, tmp_path: Path, dev_issuer: DevIssuer
) -> Iterator[dict[str, tuple[str, Path]]]:
    run = uuid.uuid4().hex[:8]
    env = {
        **os.environ,
        "ENTRAIDE_KAFKA_BOOTSTRAP": infra.kafka_bootstrap,
        "ENTRAIDE_MONGODB_URI": infra.mongodb_uri,
        "ENTRAIDE_CONSUMER_GROUP_PREFIX": f"e2e-{run}",
        **{f"ENTRAIDE_{k.upper()}": v or "" for k, v in dev_issuer.auth_settings().items()},
    }
    started: dict[str, tuple[subprocess.Popen[bytes], str, Path]] = {}
    ports = {service: free_port() for service in SERVICES}
    env["ENTRAIDE_KEYVAULT_URL"] = f"http://127.0.0.1:{ports['privacy']}"  # intake's family keys
    env["ENTRAIDE_DATA_DIR"] = str(tmp_path / "observatory")  # the observatory's archive
    for service in SERVICES:
        port = ports[service]
        env[f"ENTRAIDE_{service.upper()}_PORT"] = str(port)
        env[f"ENTRAIDE_{service.upper()}_DATABASE"] = f"e2e_{service}_{run}"
        log = tmp_path / f"{service}.log"
        with log.open("wb") as out:
            proc = subprocess.Popen(
                [sys.executable, "-m", f"entraide.{service}"],
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        started[service] = (proc, f"http://127.0.0.1:{port}", log)
    try:
        yield {name: (url, log) for name, (_, url, log) in started.items()}
        for service, (proc, url, log) in started.items():
            # a test may end before a service it did not use has started (a loaded
            # machine): the graceful stop is checked once the service serves
            assert _serving(url), f"{service} never answered /healthz"
            proc.send_signal(signal.SIGTERM)
            # uvicorn re-raises SIGTERM once its shutdown completed
            assert proc.wait(timeout=30) in (0, -signal.SIGTERM)
            assert "Application shutdown complete." in log.read_text(), service
    finally:
        for proc, _, _ in started.values():
            if proc.poll() is None:
                proc.kill()


def _serving(url: str, within: float = 60.0) -> bool:
    """Whether the service at `url` answers its liveness probe within `within` seconds."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                return True
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    return False
