"""Privacy's wiring: the key vault, the subject registry, rights cases, the retention sweep."""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime, timedelta
from functools import partial

from fastapi import FastAPI

from entraide.kit.auth import install_auth
from entraide.kit.cancellation import raise_if_cancelling
from entraide.kit.rights import register_rights
from entraide.kit.service import runtime, service_app
from entraide.kit.web import templates_for
from entraide.privacy import api, handlers, labels, pages, vault_api
from entraide.privacy.cases import Rights, utcnow
from entraide.privacy.commands import KafkaCommands
from entraide.privacy.domain import RetentionPolicy
from entraide.privacy.rights import PrivacyRights
from entraide.privacy.services import Privacy
from entraide.privacy.settings import PrivacySettings
from entraide.privacy.store import MongoAudit, MongoCases, MongoNotices, MongoSubjects
from entraide.privacy.vault import KeyVault

SERVICE = "privacy"
log = logging.getLogger(__name__)


def create_app(
    settings: PrivacySettings | None = None, *, clock: Callable[[], datetime] = utcnow
) -> FastAPI:
    settings = settings or PrivacySettings()
    rt = runtime(SERVICE, settings)
    vault = KeyVault(rt.db, settings.masters(), settings.active_master)
    subjects, cases = MongoSubjects(rt.db), MongoCases(rt.db)
    audit, notices = MongoAudit(rt.db), MongoNotices(rt.db)
    rights = Rights(
        cases,
        KafkaCommands(rt.broker),
        vault,
        audit,
        services=settings.rights_services,
        retry_after=timedelta(seconds=settings.ack_retry_seconds),
        escalate_after=settings.ack_escalate_after,
        clock=clock,
    )
    policy = RetentionPolicy(settings.retention_years, settings.retention_warning_days)
    privacy = Privacy(subjects, rights, notices, audit, policy)
    handlers.register(rt.broker, subjects, rights, settings=settings, service=SERVICE)
    register_rights(
        rt.broker, PrivacyRights(subjects, notices, rights), settings=settings, service=SERVICE
    )
    loops = [partial(_every, settings.watchdog_interval_seconds, rights.tick, "watchdog")]
    if settings.sweep_interval_seconds:
        sweep = partial(privacy.sweep, dry_run=False, actor="retention-sweep")
        loops.append(partial(_every, settings.sweep_interval_seconds, sweep, "sweep"))
    app = service_app(
        rt,
        routers=[api.router, vault_api.router, pages.router],
        startup=[
            vault.ensure_indexes,
            subjects.ensure_indexes,
            subjects.move_old_marks,
            audit.ensure_indexes,
            cases.ensure_indexes,
            notices.ensure_indexes,
        ],
        lifespans=loops,
    )
    app.state.templates = templates_for(
        "entraide.privacy",
        nav=[
            ("/dossiers", "Demandes d'exercice des droits"),
            ("/conservation", "Durée de conservation"),
        ],
    )
    install_auth(app, settings, app.state.templates)
    app.state.vault, app.state.privacy = vault, privacy
    app.state.field_messages = labels.api_message  # the API's 422 in the form's words
    app.state.keyvault_clients = settings.keyvault_clients
    return app


@contextlib.asynccontextmanager
async def _every(
    seconds: float, job: Callable[[], Awaitable[object]], name: str, app: FastAPI
) -> AsyncIterator[None]:
    """Run `job` every `seconds` for the app's lifetime; a failure waits for the next round."""

    async def loop() -> None:
        while True:
            await asyncio.sleep(seconds)
            try:
                await job()
            except Exception as exc:  # the store or Kafka away: try again next round
                raise_if_cancelling(exc)
                log.warning(
                    "scheduled job failed", extra={"job": name, "error": type(exc).__name__}
                )

    task = asyncio.create_task(loop())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
