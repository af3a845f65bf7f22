"""Recording a new family and its request, shared by the staff API, the pages and the
partner doors (`partner_requests`); and the duplicate search."""

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from entraide.contracts import new_event
from entraide.contracts.events import RequestSubmitted, Slot
from entraide.contracts.vocab import Need, RequestChannel
from entraide.intake.domain import requests as domain
from entraide.intake.domain import sealing
from entraide.intake.domain.family import SUBMITTED, Family, FamilySummary, Request
from entraide.intake.domain.requests import Sign
from entraide.intake.usecases.commands import FamilyDetails, Parent
from entraide.intake.usecases.ports import Families, FamilyKeys, UnitOfWork

SOURCE = "/entraide/intake"


@dataclass(frozen=True)
class Recorded:
    request_id: str
    family_id: str
    created: bool  # False: the same partner event was already recorded


async def record_request(
    uow: UnitOfWork,
    keys: FamilyKeys,
    details: FamilyDetails,
    *,
    association_id: str | None,
    channel: RequestChannel,
    family_id: str | None = None,
    recorded_by: str | None = None,
    possible_duplicates: list[str] | None = None,
    made: tuple[str, str, bytes] | None = None,
    lookup: list[str] | None = None,
) -> Recorded:
    """Store a family, its request and the pseudonymised event, in one document write.

    `family_id` makes the write idempotent: a partner event recorded twice creates one
    request (the second call returns the first one's id). `possible_duplicates` are
    families staff saw in the duplicate search and declared different: flagged, not merged.
    `made`: the new family's id, reference and key, made before (by `record_unless_known`),
    `lookup` its parent's hashes if already computed.
    """
    request_id = None
    if made is not None:
        family_id, family_ref, key = made
    elif family_id is None:
        family_id, family_ref, key = await keys.new_family_key()
    else:  # a partner's: the same ids whenever its event is recorded
        family_ref, request_id = domain.partner_ids(keys.ids_key, family_id)
        key = await keys.key_for(family_id, family_ref)
    family = new_family(
        keys,
        key,
        details,
        family_id=family_id,
        family_ref=family_ref,
        request_id=request_id,
        association_id=association_id,
        channel=channel,
        recorded_by=recorded_by,
        possible_duplicates=possible_duplicates,
        lookup=lookup,
    )
    stored = await uow.add(family)
    return Recorded(stored.requests[0].request_id, family_id, created=stored is family)


async def record_unless_known(
    uow: UnitOfWork,
    keys: FamilyKeys,
    details: FamilyDetails,
    *,
    confirm_new: bool,
    association_id: str | None,
    channel: RequestChannel,
    recorded_by: str | None = None,
) -> tuple[Recorded | None, list[FamilySummary]]:
    """The duplicate search, then the new family recorded, unless it looks like a family
    already known and `confirm_new` is not given: then nothing is recorded (None, and
    the families it looks like). Recorded, it is flagged with them, never merged.

    The search also lists the new family in the duplicate-search index (one write for
    both: `Families.similar(indexing=...)`), under an id and key made for it first; a
    family not recorded leaves the index and its key is destroyed.
    """
    lookup = lookup_hashes(keys, details.parent)
    family_id, family_ref, key = await keys.new_family_key()
    duplicates = await uow.families.similar(lookup, indexing=family_id)
    if duplicates and not confirm_new:
        await uow.families.unindex(family_id)
        await keys.destroy(family_id)
        return None, duplicates
    recorded = await record_request(
        uow,
        keys,
        details,
        association_id=association_id,
        channel=channel,
        recorded_by=recorded_by,
        possible_duplicates=[d.id for d in duplicates],
        made=(family_id, family_ref, key),
        lookup=lookup,
    )
    return recorded, duplicates


def new_family(
    keys: FamilyKeys,
    key: bytes,
    details: FamilyDetails,
    *,
    family_id: str,
    family_ref: str,
    association_id: str | None,
    channel: RequestChannel,
    recorded_by: str | None = None,
    possible_duplicates: list[str] | None = None,
    request_id: str | None = None,
    lookup: list[str] | None = None,
    written_language: str | None = None,
    asked_at: datetime | None = None,
) -> Family:
    """A new family with its first request, sealed with `key`, announcing the request
    (`lookup`: the parent's hashes, computed here if not given). `asked_at`: the day the
    family asked on its own door, the request's date and its last contact (its waiting
    time counts from it); staff's own recordings are dated now."""
    now = datetime.now(UTC)
    asked = asked_at or now
    request_id = request_id or domain.new_request_id()
    payload = submitted(details, request_id, family_ref, association_id, channel, asked)
    request = Request(
        request_id=request_id,
        status=SUBMITTED,
        revision=payload.revision,
        needs=payload.needs,
        availability=details.availability,
        signs=details.signs,
        urgency=payload.urgency,
        notes=sealing.seal(key, family_id, details.notes),
        association_id=association_id,
        channel=payload.channel,
        submitted_at=asked,
        recorded_by=recorded_by,
    )
    family = Family(
        id=family_id,
        family_ref=family_ref,
        association_id=association_id,
        departement=payload.departement,
        identity=sealing.seal(key, family_id, identity_of(details)),
        lookup=lookup_hashes(keys, details.parent) if lookup is None else lookup,
        children_birth_years=details.children_birth_years,
        postal_code=details.postal_code,
        languages=details.languages,
        consent=details.consent,
        created_at=now,
        last_contact_at=asked,
        requests=[request],
        possible_duplicates=possible_duplicates or [],
        written_language=written_language,
    )
    family.announce(new_event(payload, source=SOURCE, subject=family_ref))
    return family


def add_request(
    family: Family,
    key: bytes,
    *,
    needs: list[Need],
    availability: list[Slot],
    signs: list[Sign],
    channel: RequestChannel,
    contact_channels: list[str],
    recorded_by: str | None,
    asked_at: datetime,
    notes: str = "",
) -> str:
    """A new request of a family already known, asked at `asked_at` (its date, and a
    contact: the family's retention clock restarts), announced with the family's consent
    as it now is; its id."""
    request_id = domain.new_request_id()
    payload = domain.submitted_event(
        request_id=request_id,
        family_ref=family.family_ref,
        postal_code=family.postal_code,
        children_birth_years=family.children_birth_years,
        needs=needs,
        availability=availability,
        languages=family.languages,
        signs=set(signs),
        association_id=family.association_id,
        channel=channel,
        consent_to_matching=family.consent.matching,
        at=asked_at,
        contact_channels=contact_channels,
    )
    family.requests.append(
        Request(
            request_id=request_id,
            status=SUBMITTED,
            revision=payload.revision,
            needs=payload.needs,
            availability=availability,
            signs=signs,
            urgency=payload.urgency,
            notes=sealing.seal(key, family.id, notes),
            association_id=family.association_id,
            channel=channel,
            submitted_at=asked_at,
            recorded_by=recorded_by,
        )
    )
    family.last_contact_at = max(family.last_contact_at, asked_at)
    family.announce(new_event(payload, source=SOURCE, subject=family.family_ref))
    return request_id


def submitted(
    details: FamilyDetails,
    request_id: str,
    family_ref: str,
    association_id: str | None,
    channel: RequestChannel,
    at: datetime,
) -> RequestSubmitted:
    """The pseudonymised state of a request with these details (`domain.submitted_event`)."""
    return domain.submitted_event(
        request_id=request_id,
        family_ref=family_ref,
        postal_code=details.postal_code,
        children_birth_years=details.children_birth_years,
        needs=details.needs,
        availability=details.availability,
        languages=details.languages,
        signs=set(details.signs),
        association_id=association_id,
        channel=channel,
        consent_to_matching=details.consent.matching,
        at=at,
        contact_channels=details.contact_preferences,
    )


def identity_of(details: FamilyDetails) -> dict[str, Any]:
    """What is sealed with the family's key: who the parent is and how to reach them."""
    return {
        "parent": dict(vars(details.parent)),  # asdict's recursive deep copy: 6 us, this 0.4
        "commune": details.commune,
        "contact_preferences": details.contact_preferences,
    }


def lookup_hashes(keys: FamilyKeys, parent: Parent) -> list[str]:
    """The parent's duplicate-search terms as keyed hashes."""
    return search_hashes(
        keys,
        first_name=parent.first_name,
        last_name=parent.last_name,
        phone=parent.phone,
        email=parent.email,
    )


def search_hashes(
    keys: FamilyKeys, *, first_name: str, last_name: str, phone: str | None, email: str | None
) -> list[str]:
    """Keyed hashes of what staff search by (a full name, a phone, an e-mail)."""
    terms = domain.lookup_terms(
        first_name=first_name, last_name=last_name, phone=phone, email=email
    )
    return [sealing.blind_index(keys.lookup_key, term) for term in terms]


async def family_identity(families: Families, keys: FamilyKeys, family_id: str) -> Any:
    """The family's identity in clear, or None if unknown or its key was destroyed."""
    family = await families.get(family_id)
    key = await keys.existing(family_id)
    if family is None or key is None:
        return None
    return sealing.unseal(key, family_id, family.identity)
