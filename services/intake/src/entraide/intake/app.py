"""Intake's wiring: settings → adapters (store, unit of work and outbox relay, keys, audit
log, quotas) → use cases → HTTP routes and pages, Kafka consumers."""

from datetime import UTC, datetime
from functools import partial
from typing import Any

from fastapi import FastAPI, Request

from entraide.intake.adapters.audit_log import AuditLog
from entraide.intake.adapters.family_store import FamilyStore
from entraide.intake.adapters.keys import VaultKeys, WrappedKeys
from entraide.intake.adapters.quotas import PartnerQuotas
from entraide.intake.adapters.self_requests import SelfRequestStore
from entraide.intake.adapters.unit_of_work import MongoUnitOfWork
from entraide.intake.domain import orientation
from entraide.intake.entrypoints.consumers import matches, partner_events
from entraide.intake.entrypoints.http import (
    another_request_pages,
    api,
    contact_lookup,
    family_door,
    forms,
    labels,
    pages,
    partner_api,
    queue_pages,
    quota_gate,
    record_pages,
    reference_pages,
)
from entraide.intake.settings import IntakeSettings
from entraide.intake.usecases import access, door_digest, door_retention
from entraide.intake.usecases.casework import Casework
from entraide.intake.usecases.duplicates import Flagging
from entraide.intake.usecases.partner_door import PartnerDoor
from entraide.intake.usecases.ports import FamilyKeys
from entraide.intake.usecases.retention_warnings import RetentionWarnings
from entraide.intake.usecases.rights import IntakeRights
from entraide.intake.usecases.self_request_queue import ConfirmationQueue
from entraide.intake.usecases.self_requests import FamilyDoor
from entraide.kit import outbox
from entraide.kit.auth import install_auth
from entraide.kit.deps import provide
from entraide.kit.formats import paris
from entraide.kit.keyvault_client import dev_secret, vault_client
from entraide.kit.loops import Periodic, running
from entraide.kit.messages import FieldSentences
from entraide.kit.metrics import partner_quota_refusals
from entraide.kit.notifications.wiring import notifier_from
from entraide.kit.pages import Pages
from entraide.kit.protect import RateLimits
from entraide.kit.rectification_statements import PrivacyStatements
from entraide.kit.rights import register_notices, register_rights
from entraide.kit.service import runtime, service_app
from entraide.kit.web import templates_for

SERVICE = "intake"
OWED_EVERY_SECONDS = 60.0  # the pass that settles door decisions a crash interrupted
DOOR_RETENTION_EVERY_SECONDS = 3600.0  # at start, then hourly: restarts never skip it
NAV = [
    ("/familles", "Familles"),
    ("/familles/nouvelle", "Nouvelle famille"),
    ("/a-confirmer", "À confirmer"),
]
# what the public pages (the family door, /suivi) show instead: a parent's, never staff's
PUBLIC_NAV = [("/demander-aide", "Demander de l'aide"), ("/suivi", "Suivre ma demande")]


def staff_nav(request: Request) -> dict[str, Any]:
    """The menu as the signed-in role may use it: every entry is casework, so a DPO or a
    funder is shown none (each would be refused); before sign-in, the whole menu."""
    principal = getattr(request.state, "principal", None)
    shown = principal is None or principal.role in access.CASEWORK
    return {"nav_links": NAV if shown else []}


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
    partner_writes = Flagging(uow)  # partners cannot confirm: flagged, recorded
    self_requests = SelfRequestStore(rt.db)  # the family's own door: a queue for staff
    # its own outbox (what a decision owes privacy), its series labelled with its collection
    door_relay = outbox.OutboxRelay(
        self_requests.requests,
        rt.broker,
        registry=rt.registry,
        lease_seconds=settings.outbox_lease_seconds,
        idle_poll_seconds=settings.outbox_idle_poll_seconds,
    )
    self_requests.wake = door_relay.wake
    door = FamilyDoor(  # the pages the family's messages name: her status, the door itself
        self_requests,
        families,
        keys,
        status_url=f"{settings.intake_url}/suivi",
        door_url=f"{settings.intake_url}/demander-aide",
    )
    queue = ConfirmationQueue(door, uow, audit)
    quotas = PartnerQuotas(rt.db, settings.partners, partner_quota_refusals(rt.registry))

    notifier = notifier_from(rt.db, settings, registry=rt.registry)  # e-mail and SMS to families
    rights = IntakeRights(
        families,
        keys,
        audit,
        uow=uow,
        forget=notifier.forget,
        forget_own_requests=self_requests.forget,
        own_requests=self_requests.of_family,
        queue=self_requests,  # a rectification of a request still waiting is flagged there
    )
    register_rights(rt.broker, rights, settings=settings, service=SERVICE)
    partner_events.register(
        rt.broker, partner_writes, keys, settings=settings, service_name=SERVICE
    )
    matches.register(
        rt.broker, families, audit, settings=settings, service_name=SERVICE, queue=queue
    )
    door.notifier = notifier  # the family's own door: « demande reçue », « va vous appeler »
    warnings = RetentionWarnings(families, keys, notifier)
    register_notices(rt.broker, warnings.warn, settings=settings, service=SERVICE)

    # a door decision a crash (or the notifier) interrupted: a refusal's message to the
    # parent, its flags carried or answered; at start and every minute after
    async def settle_owed() -> None:
        await queue.settle_owed(datetime.now(UTC))

    owed = Periodic(settle_owed, OWED_EVERY_SECONDS, name="door-decisions-owed")

    async def purge_door() -> None:
        now, years = datetime.now(UTC), settings.door_retention_years
        await door_retention.purge_expired(self_requests, keys, now=now, years=years)

    retention = Periodic(purge_door, DOOR_RETENTION_EVERY_SECONDS, name="door-retention")

    async def tell_staff() -> None:  # once a day per association: the key names the day
        today, emails = paris(datetime.now(UTC)).date(), settings.coordinator_emails
        await door_digest.send_digests(
            self_requests, notifier, emails, today=today, link=settings.queue_link
        )

    digest = Periodic(tell_staff, DOOR_RETENTION_EVERY_SECONDS, name="door-digest")
    rounds = [owed, retention] + ([digest] if settings.coordinator_emails else [])

    app = service_app(
        rt,
        routers=[
            api.router,
            partner_api.router,
            pages.router,
            reference_pages.router,
            record_pages.router,
            another_request_pages.router,
            contact_lookup.router,
            family_door.router,
            queue_pages.router,
        ],
        startup=[
            families.ensure_indexes,
            audit.ensure_indexes,
            self_requests.ensure_indexes,
            notifier.ensure_indexes,
        ],
        lifespans=(
            [partial(outbox.running, relay), partial(outbox.running, door_relay)]
            if settings.outbox_relay
            else []
        )
        + [lambda _: notifier.running()]
        + [partial(lambda loop, _: running(loop), loop) for loop in rounds],
    )
    templates = templates_for(
        "entraide.intake", nav=NAV, public_nav=PUBLIC_NAV, public_home="/demander-aide"
    )
    templates.context_processors.append(staff_nav)  # the kit's refusal page's menu too
    install_auth(app, settings, templates, home_admits=access.CASEWORK)
    provide(
        app,
        FieldSentences(forms.api_message),  # the API's 422 in the form's words
        Casework(uow, keys, audit),
        partner_writes,
        PartnerDoor(settings.partners, quotas, settings.partner_signature_tolerance_seconds),
        Pages(templates, common=lambda _: {"labels": labels, "orientation": orientation}),
    )
    secret = settings.keyvault_secret  # shared with privacy: its rights channel calls too
    privacy_secret = secret.get_secret_value() if secret else dev_secret(SERVICE)
    found = contact_lookup.ContactLookup(families, keys, privacy_secret, self_requests.refs_with)
    provide(app, found)
    # a rectification's words, read from privacy as staff open the flagged record or request
    provide(app, PrivacyStatements(SERVICE, settings.keyvault_url, privacy_secret))
    signing = settings.session_secret.get_secret_value().encode()  # hashes the addresses
    door_limits = family_door.DoorLimits.default(
        partial(RateLimits.in_store, db=rt.db, secret=signing)
    )
    provide(app, door, queue, door_limits)
    provide(app, rights)  # privacy's commands (tests reach it to erase a family)
    quota_gate.install(app, quotas)
    return app


def family_keys(settings: IntakeSettings, db: Any) -> FamilyKeys:
    """Privacy's key vault, or (ENTRAIDE_KEYS=local, intake alone) keys in intake's database."""
    if settings.keys == "local":
        return WrappedKeys(db, settings.master_key_bytes())
    return VaultKeys(vault_client(settings, SERVICE), settings.master_key_bytes())
