"""Helpers for tests that run privacy with the other services, in-process."""

import contextlib
import shutil
import tempfile
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from fastapi import FastAPI

from entraide.contracts.vocab import SubjectKind
from entraide.directory.app import create_app as create_directory
from entraide.directory.settings import DirectorySettings
from entraide.intake.adapters.keys import VaultKeys
from entraide.intake.app import create_app as create_intake
from entraide.intake.settings import IntakeSettings
from entraide.kit.deps import lookup
from entraide.kit.keyvault_client import KeyVaultClient, SubjectKeys, dev_secret
from entraide.matching.app import create_app as create_matching
from entraide.matching.settings import MatchingSettings
from entraide.observatory.app import create_app as create_observatory
from entraide.observatory.settings import ObservatorySettings
from entraide.privacy.app import create_app as create_privacy
from entraide.privacy.domain.cases import CaseKind
from entraide.privacy.settings import PrivacySettings
from entraide.privacy.usecases.cases import Rights
from tests.infra import Endpoints, settings_on
from tests.support import eventually, serving


def vault_client(privacy_app: FastAPI, service: str = "intake") -> KeyVaultClient:
    """A key vault client of `service` that reaches the in-process privacy app."""
    return KeyVaultClient(
        "http://privacy",
        service=service,
        secret=dev_secret(service),
        transport=httpx.ASGITransport(app=privacy_app),
    )


def vault_keys(privacy_app: FastAPI, settings: IntakeSettings) -> VaultKeys:
    """Intake's keys held by this privacy app's vault, as in production."""
    return VaultKeys(vault_client(privacy_app), settings.master_key_bytes())


class Clock:
    """Real time plus an offset the test moves: privacy reads it for deadlines, retries
    and retention."""

    def __init__(self, offset: timedelta = timedelta(0)) -> None:
        self.offset = offset

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def advance(self, **delta: float) -> None:
        self.offset += timedelta(**delta)


AUTH_FIELDS = (
    "auth_issuer",
    "auth_jwks_url",
    "auth_audience",
    "auth_dev_token_url",
    "auth_login_url",
)


@contextlib.asynccontextmanager
async def network(
    infra: Endpoints,
    unique: str,
    intake_settings: IntakeSettings,
    privacy_settings: PrivacySettings,
    *,
    clock: Callable[[], datetime] | None = None,
) -> AsyncIterator[dict[str, Any]]:
    """The four services in-process on the real broker and store, intake's keys in
    privacy's vault; yields their apps and clients by name."""
    quick = {"graceful_timeout_seconds": 2.0}  # twenty subscribers stop one after another
    privacy_settings = privacy_settings.model_copy(update=quick)
    intake_settings = intake_settings.model_copy(update=quick)
    privacy = create_privacy(privacy_settings, **({"clock": clock} if clock else {}))
    intake = create_intake(intake_settings, keys=vault_keys(privacy, intake_settings))
    trusted = {k: getattr(intake_settings, k) for k in AUTH_FIELDS}  # the same sign-in
    matching = create_matching(
        settings_on(MatchingSettings, infra, f"test_matching_{unique}", **quick, **trusted)
    )
    directory = create_directory(
        settings_on(
            DirectorySettings, infra, f"test_directory_{unique}", outbox_relay=False, **quick
        ),
        keys=SubjectKeys(vault_client(privacy, "directory"), SubjectKind.VOLUNTEER.value),
    )
    apps = {"privacy": privacy, "intake": intake, "matching": matching, "directory": directory}
    apps["observatory"] = observatory_app(infra, unique, quick)
    async with contextlib.AsyncExitStack() as stack:
        stack.callback(shutil.rmtree, apps["observatory"].state.settings.data_dir, True)
        clients = {n: await stack.enter_async_context(serving(a)) for n, a in apps.items()}
        await _warm_up(apps["privacy"], set(apps) & set(privacy_settings.rights_services))
        yield {"apps": apps, "clients": clients}


def observatory_app(infra: Endpoints, unique: str, quick: dict[str, Any]) -> FastAPI:
    """The observatory (it keeps open requests' episodes by reference: privacy waits for
    its answer to every erasure), its archive in a fresh temporary directory."""
    data_dir = Path(tempfile.mkdtemp(prefix=f"observatory-{unique}-"))
    settings = settings_on(
        ObservatorySettings,
        infra,
        f"test_observatory_{unique}",
        data_dir=data_dir,
        refresh_interval_seconds=0,
        **quick,
    )
    return create_observatory(settings)


async def case_when(
    client: httpx.AsyncClient,
    case_id: str,
    done: Callable[[dict[str, Any]], bool],
    timeout: float = 60,
) -> dict[str, Any]:
    """Poll the case through the officer's API until `done` holds."""

    async def check() -> dict[str, Any] | None:
        case: dict[str, Any] = (await client.get(f"/api/v1/cases/{case_id}")).json()
        return case if done(case) else None

    try:
        return await eventually(check, timeout=timeout, what=f"case {case_id}")
    except AssertionError as exc:
        case = (await client.get(f"/api/v1/cases/{case_id}")).json()
        raise AssertionError(f"{exc}: {case}") from None


def closed(case: dict[str, Any]) -> bool:
    """Closed, and its trail written (the status turns a moment before "case-closed")."""
    trail = case.get("audit") or [{}]
    return bool(case["status"] == "closed" and trail[-1].get("action") == "case-closed")


async def caught_up(bootstrap: str, group: str, topics: list[str]) -> bool:
    """Whether the consumer group has committed up to the end of every partition. The
    partitions come from the broker's metadata: a consumer subscribed to none knows no
    partitions, and an empty list made every group look caught up."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=None)
    await admin.start()
    await consumer.start()
    try:
        committed = await admin.list_consumer_group_offsets(group)
        described = await admin.describe_topics(topics)
        parts = [
            TopicPartition(t["topic"], p["partition"]) for t in described for p in t["partitions"]
        ]
        assert parts, f"no partition known for {topics}"
        ends = await consumer.end_offsets(parts)
        return all(
            end == 0 or (tp in committed and committed[tp].offset >= end)
            for tp, end in ends.items()
        )
    finally:
        await consumer.stop()
        await admin.close()


async def _warm_up(privacy: FastAPI, services: set[str]) -> None:
    """Wait until every service answers privacy's commands: the rights consumers start at
    the end when new, so an erasure of nobody is sent (and resent by the watchdog) until
    all have answered; then it is forgotten, leaving the test a clean case list."""
    rights = lookup(privacy, Rights)
    opened = await rights.open(CaseKind.ERASURE, "warm-up-nobody", SubjectKind.FAMILY, actor="test")

    async def answered() -> bool:
        case = await rights.get(opened.case_id)
        return services <= set(case.acks)

    await eventually(answered, timeout=60, what="every service answering privacy")
    await privacy.state.db["cases"].delete_one({"_id": opened.case_id})
    await privacy.state.db["audit"].delete_many({"case_id": opened.case_id})


REGISTRY_TIMEOUT = 240  # privacy replays the shared topics from the start (other tests' events)
