"""Intake's wiring: settings, store and unit of work, broker, outbox relay, HTTP routes."""

from functools import partial
from typing import Any

from fastapi import FastAPI

from entraide.intake import (
    api,
    forms,
    handlers,
    pages,
    partner_api,
    quota_gate,
    record_pages,
    reference_pages,
)
from entraide.intake.audit import AuditLog
from entraide.intake.keys import FamilyKeys, VaultKeys, WrappedKeys
from entraide.intake.quotas import PartnerQuotas
from entraide.intake.records import Casework
from entraide.intake.rights import IntakeRights
from entraide.intake.settings import IntakeSettings
from entraide.intake.store import FamilyStore, MongoUnitOfWork
from entraide.kit import outbox
from entraide.kit.auth import install_auth
from entraide.kit.keyvault_client import vault_client
from entraide.kit.metrics import partner_quota_refusals
from entraide.kit.rights import register_rights
from entraide.kit.service import runtime, service_app
from entraide.kit.web import templates_for

SERVICE = "intake"


def create_app(
    settings: IntakeSettings | None = None, *, keys: FamilyKeys | None = None
) -> FastAPI:
    settings = settings or IntakeSettings()
    rt = runtime(SERVICE, settings)
    families = FamilyStore(rt.db)
    keys = keys or family_keys(settings, rt.db)
    audit = AuditLog(rt.db)
    relay = outbox.OutboxRelay(
        families.families,
        rt.broker,
        registry=rt.registry,
        lease_seconds=settings.outbox_lease_seconds,
        idle_poll_seconds=settings.outbox_idle_poll_seconds,
    )
    uow = MongoUnitOfWork(families, relay)
    register_rights(
        rt.broker, IntakeRights(families, keys, audit, uow=uow), settings=settings, service=SERVICE
    )
    handlers.register(rt.broker, uow, keys, audit, settings=settings, service_name=SERVICE)
    app = service_app(
        rt,
        routers=[
            api.router,
            partner_api.router,
            pages.router,
            reference_pages.router,
            record_pages.router,
        ],
        startup=[families.ensure_indexes, audit.ensure_indexes],
        lifespans=[partial(outbox.running, relay)] if settings.outbox_relay else [],
    )
    app.state.templates = templates_for(
        "entraide.intake",
        nav=[("/familles", "Familles"), ("/familles/nouvelle", "Nouvelle famille")],
    )
    install_auth(app, settings, app.state.templates)
    app.state.families = families
    app.state.uow = uow
    app.state.casework = Casework(uow, keys, audit)
    app.state.audit = audit
    app.state.relay = relay
    app.state.keys = keys
    app.state.field_messages = forms.api_message  # the API's 422 in the form's words
    app.state.quotas = PartnerQuotas(rt.db, settings.partners, partner_quota_refusals(rt.registry))
    quota_gate.install(app, app.state.quotas)
    return app


def family_keys(settings: IntakeSettings, db: Any) -> FamilyKeys:
    """Privacy's key vault, or (ENTRAIDE_KEYS=local, intake alone) keys in intake's database."""
    if settings.keys == "local":
        return WrappedKeys(db, settings.master_key_bytes())
    return VaultKeys(vault_client(settings, SERVICE), settings.master_key_bytes())
