"""Privacy's wiring: settings → adapters (store and the cases' outbox relay, key vault, Kafka
commands) → use cases (cases, officer, key vault, own answers) → routes, consumers and
scheduled jobs."""

from collections.abc import Callable
from datetime import datetime, time, timedelta
from functools import partial

from fastapi import FastAPI

from entraide.contracts import labels as shared
from entraide.kit import outbox
from entraide.kit.auth import install_auth
from entraide.kit.deps import provide
from entraide.kit.messages import FieldSentences
from entraide.kit.notifications.quiet import QuietHours
from entraide.kit.notifications.wiring import notifier_from
from entraide.kit.pages import Pages
from entraide.kit.principal import Role
from entraide.kit.service import Lifespan, runtime, service_app
from entraide.kit.web import templates_for
from entraide.privacy.adapters.commands import KafkaCommands
from entraide.privacy.adapters.contact_seal import VaultContactSeal, VaultStatementSeal
from entraide.privacy.adapters.owner_notices import OwnerNotices
from entraide.privacy.adapters.owners import HttpOwners
from entraide.privacy.adapters.store import MongoAudit, MongoCases, MongoNotices, MongoSubjects
from entraide.privacy.adapters.store.person_requests import MongoPersonRequests
from entraide.privacy.adapters.vault import KeyVault
from entraide.privacy.domain.retention import RetentionPolicy
from entraide.privacy.entrypoints.consumers import acks, commands, contacts
from entraide.privacy.entrypoints.http import (
    api,
    erasure_requests,
    keyvault,
    labels,
    pages,
    public_rights,
    statements,
)
from entraide.privacy.entrypoints.http.tokens import ServiceTokens
from entraide.privacy.entrypoints.scheduled import every
from entraide.privacy.settings import PrivacySettings
from entraide.privacy.usecases.answers import PrivacyRights
from entraide.privacy.usecases.cases import Rights, utcnow
from entraide.privacy.usecases.keys import ServiceKeys
from entraide.privacy.usecases.officer import Privacy
from entraide.privacy.usecases.public_requests import PublicRights

SERVICE = "privacy"
SWEEP_CHECK_SECONDS = 3600.0  # is the retention sweep due? (it runs once a period)
NAV = [("/dossiers", "Demandes d'exercice des droits"), ("/conservation", "Durée de conservation")]


def create_app(
    settings: PrivacySettings | None = None, *, clock: Callable[[], datetime] = utcnow
) -> FastAPI:
    settings = settings or PrivacySettings()
    rt = runtime(SERVICE, settings)
    vault = KeyVault(rt.db, settings.masters(), settings.active_master)
    subjects, cases = MongoSubjects(rt.db), MongoCases(rt.db)
    relay = outbox.OutboxRelay(cases.cases, rt.broker, registry=rt.registry)
    cases.wake = relay.wake  # a rectification withdrawn: published at once
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
    privacy = Privacy(subjects, rights, notices, audit, policy, OwnerNotices(rt.broker))
    answers = PrivacyRights(subjects, notices, rights)
    people = MongoPersonRequests(rt.db)
    notifier = notifier_from(rt.db, settings, registry=rt.registry)  # to the proved contact
    codes = notifier_from(rt.db, settings, registry=rt.registry)
    codes.quiet = QuietHours(time(0), time(0))  # a code is asked for now: no quiet hours
    public = PublicRights(  # the public rights channel (`/vos-droits`)
        people,
        VaultContactSeal(rt.db, vault),
        HttpOwners(settings.owners_urls, settings.owner_secrets()),
        notifier,
        privacy,
        key=settings.public_rights_key(),
        public_url=settings.public_url,
        statements=VaultStatementSeal(rt.db, vault),  # a rectification's, until it closes
        codes=codes,
    )
    contacts.register(rt.broker, subjects, settings=settings, service=SERVICE)
    acks.register(rt.broker, rights, settings=settings, service=SERVICE)
    commands.register(rt.broker, answers, settings=settings, service=SERVICE)
    loops: list[Lifespan] = [
        partial(every, settings.watchdog_interval_seconds, rights.tick, "watchdog"),
        partial(every, settings.watchdog_interval_seconds, public.deliver, "export-links"),
        lambda _: notifier.running(),
        partial(outbox.running, relay),
    ]
    if settings.sweep_interval_seconds:  # due once a period whatever the restarts: checked
        # at start, then hourly, against the last run any replica wrote in the audit trail
        due = timedelta(seconds=settings.sweep_interval_seconds)
        sweep = partial(privacy.sweep_when_due, due, actor="retention-sweep")
        check = min(settings.sweep_interval_seconds, SWEEP_CHECK_SECONDS)
        loops.append(partial(every, check, sweep, "sweep", wait_first=False))
    app = service_app(
        rt,
        routers=[
            api.router,
            keyvault.router,
            erasure_requests.router,  # a volunteer who leaves, through directory
            pages.router,
            public_rights.router,
            statements.router,  # a rectification's words, read by the record's owner
        ],
        startup=[
            vault.ensure_indexes,
            subjects.ensure_indexes,
            subjects.move_old_marks,
            audit.ensure_indexes,
            cases.ensure_indexes,
            notices.ensure_indexes,
            people.ensure_indexes,
            notifier.ensure_indexes,
        ],
        lifespans=loops,
    )
    templates = templates_for("entraide.privacy", nav=NAV, public_home="/vos-droits")
    install_auth(app, settings, templates, home_admits=[Role.DPO])
    common: dict[str, object] = {"labels": labels, "shared": shared}
    common |= {"dpo_name": settings.dpo_name, "dpo_contact": settings.dpo_contact}
    provide(
        app, privacy, rights, vault, ServiceKeys(vault), ServiceTokens(settings.keyvault_clients)
    )
    provide(app, Pages(templates, common=lambda request: common), public)
    provide(app, FieldSentences(labels.api_message))  # the API's 422 in the form's words
    return app
