"""A partner's requests for support, through either door (HTTP or Kafka): each recorded
once, however often it is sent. The doors write through `duplicates.Flagging` (a partner
cannot confirm it is another family: its family is flagged with its possible duplicates)."""

from dataclasses import dataclass
from datetime import UTC, datetime

from entraide.contracts.vocab import RequestChannel, WithdrawalReason
from entraide.intake.domain import orientation, partners
from entraide.intake.domain import requests as domain
from entraide.intake.domain.family import WITHDRAWN, Family, NotFoundError
from entraide.intake.usecases.casework import withdraw_request
from entraide.intake.usecases.commands import PartnerSubmission
from entraide.intake.usecases.ports import Action, AuditTrail, Families, FamilyKeys, UnitOfWork
from entraide.intake.usecases.recording import Recorded, new_family, record_request


async def ingest_partner_event(
    uow: UnitOfWork, keys: FamilyKeys, submission: PartnerSubmission
) -> Recorded:
    """Record a partner's request once, whichever door it came through and however often."""
    return await record_request(
        uow,
        keys,
        submission.details,
        association_id=submission.association_id,
        channel=RequestChannel.PARTNER,
        family_id=family_of(submission),
    )


def family_of(submission: PartnerSubmission) -> str:
    """The id of the family a partner's event records (the same event, the same id)."""
    return partners.family_id(submission.source, submission.event_id)


@dataclass(frozen=True)
class PartnerBatch:
    recorded: list[Recorded]  # the requests this batch created
    erased: list[PartnerSubmission]  # refused: their family was erased (its key destroyed)


async def ingest_partner_events(
    uow: UnitOfWork, keys: FamilyKeys, submissions: list[PartnerSubmission]
) -> PartnerBatch:
    """Record a batch of partners' requests, each once: one lookup of those already
    recorded, one call for the new families' keys, one write, their events published."""
    by_family: dict[str, PartnerSubmission] = {}
    for submission in submissions:  # the same event twice in a batch is one request
        by_family.setdefault(family_of(submission), submission)
    known = await uow.families.known(list(by_family))
    new = {family_id: s for family_id, s in by_family.items() if family_id not in known}
    ids = {family_id: domain.partner_ids(keys.ids_key, family_id) for family_id in new}
    refs = {family_id: ref for family_id, (ref, _) in ids.items()}
    family_keys = await keys.keys_for(refs) if refs else {}
    families = [
        new_family(
            keys,
            family_keys[family_id],
            submission.details,
            family_id=family_id,
            family_ref=refs[family_id],
            request_id=ids[family_id][1],
            association_id=submission.association_id,
            channel=RequestChannel.PARTNER,
        )
        for family_id, submission in new.items()
        if family_id in family_keys
    ]
    stored = await uow.add_many(families) if families else []
    return PartnerBatch(
        recorded=[Recorded(f.requests[0].request_id, f.id, created=True) for f in stored],
        erased=[s for family_id, s in new.items() if family_id not in family_keys],
    )


@dataclass(frozen=True)
class PartnerStatus:
    """What became of a partner's event: its request, and matching's latest step."""

    request_id: str
    status: str
    orientation: str | None


async def status_of(families: Families, source: str, event_id: str) -> PartnerStatus | None:
    """The status of the request a partner's event recorded, or None (no such event)."""
    family = await families.get(partners.family_id(source, event_id))
    return None if family is None else _status(family)


async def withdraw(
    uow: UnitOfWork, audit: AuditTrail, source: str, event_id: str, reason: WithdrawalReason
) -> PartnerStatus:
    """The partner withdraws the request its event recorded (the family was housed, moved,
    found help elsewhere): matching stops. Sent again, it changes nothing more."""
    family = await uow.families.get(partners.family_id(source, event_id))
    if family is None:
        raise NotFoundError(event_id)
    first = family.requests[0]
    if first.status != WITHDRAWN:
        withdraw_request(family, first.request_id, reason, datetime.now(UTC))
        await uow.commit(family)
        await audit.record_event(
            Action.WITHDRAW, family.id, event_id=event_id, association_id=source
        )
    return _status(family)


def _status(family: Family) -> PartnerStatus:
    first = family.requests[0]
    latest = orientation.current(family.orientation, first.request_id)
    return PartnerStatus(first.request_id, first.status, latest.state if latest else None)
