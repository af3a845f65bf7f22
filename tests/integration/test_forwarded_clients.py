"""Behind the Ingress, a per-address rate limit counts the person, not the Ingress: the
server `kit.run` starts takes the client's address from X-Forwarded-For when the peer is a
trusted proxy (ENTRAIDE_FORWARDED_ALLOW_IPS), and ignores the header from anyone else.

The server is a real process (`kit.run.serve`, as a service's `__main__` runs it) on
127.0.0.1: listing 127.0.0.1 makes the test's client the Ingress, leaving it out makes it
a stranger. ENTRAIDE_TEST_HTTP_PORT chooses the port (else a free one)."""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from fastapi import Depends, FastAPI

from entraide.kit.deps import provide
from entraide.kit.protect import RateLimits, rate_limited
from tests.infra import free_port

ROOT = Path(__file__).resolve().parents[2]
SERVE = (
    "import sys; from entraide.kit.run import serve; "
    "from entraide.kit.settings import ServiceSettings; "
    "from tests.integration.test_forwarded_clients import one_post_a_minute; "
    "port = int(sys.argv[1]); "
    "serve('forwarded', ServiceSettings(port=port, database='unused'), one_post_a_minute, port)"
)


def one_post_a_minute() -> FastAPI:
    """A public door that admits one post a minute per client address."""
    app = FastAPI()
    provide(app, RateLimits("1/minute"))

    @app.post("/demande", dependencies=[Depends(rate_limited)])
    async def post() -> dict[str, str]:
        return {}

    @app.get("/healthz")
    async def alive() -> dict[str, str]:
        return {}

    return app


@contextmanager
def served(trusted: str) -> Iterator[str]:
    port = int(os.environ.get("ENTRAIDE_TEST_HTTP_PORT") or free_port())
    env = {**os.environ, "ENTRAIDE_FORWARDED_ALLOW_IPS": trusted, "ENTRAIDE_HOST": "127.0.0.1"}
    proc = subprocess.Popen(
        [sys.executable, "-c", SERVE, str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
            try:
                httpx.get(f"{url}/healthz", timeout=1)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.1)
        yield url
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)


def post_from(url: str, person: str) -> int:
    return httpx.post(f"{url}/demande", headers={"X-Forwarded-For": person}).status_code


def test_behind_a_trusted_proxy_each_person_has_their_own_limit() -> None:
    with served("192.0.2.0/24, 127.0.0.1") as url:
        assert post_from(url, "203.0.113.7") == 200
        assert post_from(url, "203.0.113.7") == 429  # the same person, over the limit
        assert post_from(url, "198.51.100.20") == 200  # another person, behind the same proxy


def test_an_untrusted_peer_cannot_choose_its_address() -> None:
    with served("192.0.2.0/24") as url:
        assert post_from(url, "203.0.113.7") == 200
        # the header is ignored: still the peer's own address, already counted
        assert post_from(url, "198.51.100.20") == 429
