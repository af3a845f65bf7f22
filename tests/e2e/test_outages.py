"""Outages as ops live them, on the real stack with the services as processes: each
dependency (the store, Kafka, the key vault) killed during staff posts and partner events
answers 503 with Retry-After, never 500, and loses or doubles nothing; a 30-second broker
outage is a handful of log lines per service, not thousands.

    make test-slow
"""

import asyncio
import json
import time
import uuid
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from tests.auth_support import DevIssuer
from tests.fault_support import World, partner_event, signed
from tests.infra import Endpoints, ServiceProcess, free_port, throwaway_kafka, throwaway_store
from tests.support import eventually, reconnected, request_body

pytestmark = pytest.mark.slow
PAIRS = 200  # staff posts, and as many partner events, during each outage
OUTAGE_S = 30
MAX_LINES = 20  # per service, for a 30 s broker outage
DOWN_S = 10  # each dependency's outage during the traffic
RETRY_FOR_S = 180  # a caller gives up on 503s this long after the first (the outage is DOWN_S)


def service(world: World, name: str, tmp_path: Path, **env: str) -> ServiceProcess:
    port = free_port()
    full = world.env(name) | {f"ENTRAIDE_{name.upper()}_PORT": str(port)} | env
    return ServiceProcess(name, full, tmp_path / f"{name}.log")


def url_of(proc: ServiceProcess) -> str:
    return f"http://127.0.0.1:{proc.env[f'ENTRAIDE_{proc.service.upper()}_PORT']}"


def auth_env(issuer: DevIssuer) -> dict[str, str]:
    return {f"ENTRAIDE_{k.upper()}": v or "" for k, v in issuer.auth_settings().items()}


async def ready(*procs: ServiceProcess) -> bool:
    async with httpx.AsyncClient(timeout=3) as client:
        for proc in procs:
            try:
                if not reconnected(await client.get(f"{url_of(proc)}/readyz")):
                    return False
            except httpx.HTTPError:
                return False
    return True


class Traffic:
    """Staff posts and partner events to intake, two at a time, every answer kept."""

    def __init__(self, intake: ServiceProcess, token: str) -> None:
        self.client = httpx.AsyncClient(base_url=url_of(intake), timeout=30)
        self.token = token
        self.answers: list[httpx.Response] = []
        self.staff_created = 0
        self.partner_ids: list[str] = []
        # the same parent each time: reviewed, another family (else 409, as on the pages)
        self.body = request_body() | {"confirm_new": True}

    async def staff(self) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.token}"}
        give_up = time.monotonic() + RETRY_FOR_S
        while time.monotonic() < give_up:  # refused (503): nothing recorded, post again
            answer = await self.client.post("/api/v1/requests", json=self.body, headers=headers)
            self.answers.append(answer)
            if answer.status_code != 503:
                self.staff_created += answer.status_code == 201
                return answer
            await asyncio.sleep(float(answer.headers["retry-after"]) / 5)
        raise AssertionError(f"still 503 {RETRY_FOR_S}s after the first refusal")

    async def partner(self, event_id: str) -> httpx.Response:
        body = partner_event(event_id)
        give_up = time.monotonic() + RETRY_FOR_S
        while time.monotonic() < give_up:  # refused (503): the partner sends it again
            answer = await self.client.post(
                "/api/v1/partner-events", content=body, headers=signed(body)
            )
            self.answers.append(answer)
            if answer.status_code != 503:
                self.partner_ids.append(event_id)
                return answer
            await asyncio.sleep(float(answer.headers["retry-after"]) / 5)
        raise AssertionError(f"still 503 {RETRY_FOR_S}s after the first refusal")

    async def run(self, n: int, kill: Callable[[], None], revive: Callable[[], None]) -> None:
        """`n` staff posts and `n` partner events; the dependency killed once a third of
        them are answered, revived DOWN_S later (requests go on meanwhile)."""
        a_third = asyncio.Event()

        async def outage() -> None:
            await a_third.wait()
            kill()
            await asyncio.sleep(DOWN_S)
            revive()

        killing = asyncio.create_task(outage())
        for i in range(n):
            if i == n // 3:
                a_third.set()
            await asyncio.gather(self.staff(), self.partner(f"outage-{uuid.uuid4().hex}"))
        await killing

    def statuses(self) -> Counter[int]:
        return Counter(a.status_code for a in self.answers)


async def test_each_dependency_down_during_traffic_is_503_with_retry_after_never_500(
    dev_issuer: DevIssuer, tmp_path: Path
) -> None:
    from pymongo import AsyncMongoClient

    with (
        throwaway_kafka(tmp_path / "kafka") as (bootstrap, kafka),
        throwaway_store(tmp_path / "store") as (uri, store),
    ):
        kafka.up()
        world = World(Endpoints(bootstrap, uri, "throwaway"), f"outage_{uuid.uuid4().hex[:8]}")
        privacy = service(world, "privacy", tmp_path, **auth_env(dev_issuer)).start()
        intake = service(
            world,
            "intake",
            tmp_path,
            ENTRAIDE_KEYS="vault",
            ENTRAIDE_KEYVAULT_URL=url_of(privacy),
            **auth_env(dev_issuer),
        ).start()
        traffic = Traffic(intake, await dev_issuer.token_for("ppm-nantes"))
        try:
            await eventually(lambda: ready(privacy, intake), timeout=120, what="services ready")
            refused: dict[str, Counter[str]] = {}
            outages: list[tuple[str, Callable[[], None], Callable[[], None]]] = [
                ("store", store.kill, store.up),
                ("kafka", kafka.kill, kafka.up),
                ("key-vault", privacy.kill, privacy.start),
            ]
            for component, kill, revive in outages:
                before = len(traffic.answers)
                await traffic.run(PAIRS, kill, revive)
                await eventually(lambda: ready(privacy, intake), timeout=120, what="back")
                answers = traffic.answers[before:]
                refused[component] = Counter(
                    a.json()["detail"]["component"] for a in answers if a.status_code == 503
                )
                for answer in answers:
                    if answer.status_code == 503:
                        assert int(answer.headers["retry-after"]) > 0
            statuses = traffic.statuses()
            assert statuses[500] == 0, statuses
            assert set(statuses) <= {200, 201, 503}, statuses
            # the store down: intake's writes and the vault's (privacy shares the store)
            assert refused["store"], "the store outage refused nothing: it tested nothing"
            assert set(refused["store"]) <= {"store", "key-vault"}
            assert refused["kafka"] == Counter(), "Kafka down: the outbox takes every request"
            assert set(refused["key-vault"]) == {"key-vault"}

            families = AsyncMongoClient(uri)[f"{world.name}_intake"]["families"]
            recorded = await families.count_documents({})
            by_partner = await families.count_documents({"requests.channel": "partner"})
            assert by_partner == len(set(traffic.partner_ids)) == len(traffic.partner_ids)
            assert recorded - by_partner == traffic.staff_created, "a refused post was recorded"
        finally:
            await traffic.client.aclose()
            for proc in (intake, privacy):
                proc.stop()


async def test_a_30_second_broker_outage_is_a_few_log_lines_per_service(
    infra: Endpoints, tmp_path: Path
) -> None:
    with throwaway_kafka(tmp_path / "kafka") as (bootstrap, kafka):
        kafka.up()
        world = World(Endpoints(bootstrap, infra.mongodb_uri, "throwaway"), f"logs_{uuid.uuid4().hex[:8]}")  # fmt: skip
        procs = [
            service(world, name, tmp_path).start()
            for name in ("intake", "directory", "matching", "privacy")
        ]
        try:
            await eventually(lambda: ready(*procs), timeout=120, what="services ready")
            await asyncio.sleep(3)  # started: what they log from here is the outage's
            sizes = {p.service: p.log.stat().st_size for p in procs}
            kafka.kill()
            await asyncio.sleep(OUTAGE_S)
            kafka.up()
            await asyncio.sleep(15)  # reconnected, the watcher saw it back
            written = {
                p.service: p.log.read_bytes()[sizes[p.service] :].decode().splitlines()
                for p in procs
            }
            await eventually(lambda: ready(*procs), timeout=120, what="services ready again")
        finally:
            for proc in procs:
                proc.stop()
    for name, lines in written.items():
        records = [json.loads(line) for line in lines]
        said = [(r["message"], r.get("component")) for r in records]
        assert len(lines) < MAX_LINES, f"{name}: {len(lines)} lines, {Counter(said).most_common(5)}"
        assert ("dependency unreachable", "kafka") in said, f"{name}: {said}"
        assert ("dependency back", "kafka") in said, f"{name}: {said}"
        back = next(r for r in records if r["message"] == "dependency back")
        assert OUTAGE_S - 5 <= back["outage_s"] <= OUTAGE_S + 30, back
