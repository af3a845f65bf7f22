"""A match shares a family with the association that accepted it, until the match ends.

Intake listens to matching's events: an accepted match lets the volunteer's or offer's
association open the family's record (its staff need the contact details to start), if
the family consented to sharing; a declined, expired or closed match takes that back.
Both, and a refusal for want of consent, are in the audit log. Opening a record without
consent takes a named permission (`override`). Scopes stay in `access`.
"""

import logging

from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage

from entraide.contracts import parse_event
from entraide.contracts.events import MatchAccepted, MatchClosed, MatchDeclined, MatchExpired
from entraide.contracts.kit.auth import Principal
from entraide.contracts.kit.broker import subscriber_options
from entraide.contracts.kit.principal import Permission
from entraide.contracts.kit.settings import ServiceSettings
from entraide.contracts.topics import MATCHES
from entraide.intake.audit import Action, AuditLog
from entraide.intake.schemas import OverrideReason
from entraide.intake.store import FamilyStore

log = logging.getLogger(__name__)
ENDED = (MatchClosed, MatchDeclined, MatchExpired)


def register(
    broker: KafkaBroker,
    families: FamilyStore,
    audit: AuditLog,
    *,
    settings: ServiceSettings,
    service_name: str,
) -> None:
    @broker.subscriber(  # type: ignore[untyped-decorator]
        MATCHES.name, title="matches", **subscriber_options(settings, service_name)
    )
    async def on_match_event(message: KafkaMessage) -> None:
        """Open or close the family's record to the match's association."""
        event = parse_event(message.body)
        data = event.data
        association = getattr(data, "association_id", None)
        if not association or not isinstance(data, (MatchAccepted, *ENDED)):
            return  # proposals and follow-ups change nothing here
        shared = isinstance(data, MatchAccepted)
        changed = await families.share(data.family_ref, association, shared=shared)
        action = _audited(shared, changed)
        family = await families.by_ref(data.family_ref) if action else None
        if action is Action.SHARE_REFUSED and family and family["consent"].get("sharing"):
            action = None  # consented, already shared: a redelivery
        if action and family:
            await audit.record_event(
                action, family["_id"], event_id=event.id, association_id=association
            )
        log.info(
            "family sharing", extra={"event_id": event.id, "shared": shared, "changed": changed}
        )


def _audited(shared: bool, changed: bool) -> Action | None:
    if changed:
        return Action.SHARE if shared else Action.UNSHARE
    return Action.SHARE_REFUSED if shared else None  # refused, unless a redelivery


async def override(
    families: FamilyStore,
    audit: AuditLog,
    principal: Principal,
    family_id: str,
    association_id: str,
    reason: OverrideReason,
) -> bool:
    """Open a family's record to an association without its consent to sharing: only by
    the named permission, audited with its reason first; False for no such family."""
    if not principal.may(Permission.SHARE_WITHOUT_CONSENT):
        raise PermissionError(Permission.SHARE_WITHOUT_CONSENT)
    family = await families.get(family_id)
    if family is None:
        return False
    await audit.record(
        principal,
        Action.SHARE_OVERRIDE,
        family_id,
        via="api",
        shared_with=association_id,
        reason=reason.value,
    )
    await families.share(family["family_ref"], association_id, shared=True, override=True)
    return True
