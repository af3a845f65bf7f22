"""A match shares a family with the association that accepted it, until the match ends.

Intake listens to matching's events (`entrypoints.consumers.matches`): an accepted match lets the volunteer's
or offer's association open the family's record (its staff need the contact details to
start), if the family consented to sharing; a declined, expired or closed match takes
that back. Both, and a refusal for want of consent, are in the audit log. Opening a
record without consent takes a named permission (`override`). Scopes stay in `access`.
"""

import logging
from typing import Any

from entraide.contracts import CloudEvent
from entraide.contracts.events import MatchAccepted, MatchClosed, MatchDeclined, MatchExpired
from entraide.intake.domain.access import OverrideReason
from entraide.intake.usecases.ports import Action, AuditTrail, Families
from entraide.kit.principal import Permission, Principal

log = logging.getLogger(__name__)
ENDED = (MatchClosed, MatchDeclined, MatchExpired)


async def match_changed(families: Families, audit: AuditTrail, event: CloudEvent[Any]) -> None:
    """Open or close the family's record to the match's association."""
    data = event.data
    association = getattr(data, "association_id", None)
    if not association or not isinstance(data, (MatchAccepted, *ENDED)):
        return  # proposals and follow-ups change nothing here
    shared = isinstance(data, MatchAccepted)
    sharing = await families.share(data.family_ref, association, shared=shared)
    if sharing is None:
        return  # erased, or never here
    action = _audited(shared, sharing.changed)
    if action is Action.SHARE_REFUSED and sharing.consented:
        action = None  # consented, already shared: a redelivery
    if action:
        await audit.record_event(
            action, sharing.family_id, event_id=event.id, association_id=association
        )
    log.info(
        "family sharing",
        extra={"event_id": event.id, "shared": shared, "changed": sharing.changed},
    )


def _audited(shared: bool, changed: bool) -> Action | None:
    if changed:
        return Action.SHARE if shared else Action.UNSHARE
    return Action.SHARE_REFUSED if shared else None  # refused, unless a redelivery


async def override(
    families: Families,
    audit: AuditTrail,
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
    await families.share(family.family_ref, association_id, shared=True, override=True)
    return True
