"""Intake's use cases, shared by the staff API and the partner doors."""

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pymongo.errors import DuplicateKeyError

from entraide.contracts import new_event
from entraide.contracts.vocab import RequestChannel
from entraide.intake import domain, partners, sealing
from entraide.intake.keys import FamilyKeys
from entraide.intake.partners import PartnerEvent
from entraide.intake.schemas import ParentIn, RequestFields
from entraide.intake.store import FamilyStore

SOURCE = "/entraide/intake"


@dataclass(frozen=True)
class Recorded:
    request_id: str
    family_id: str
    created: bool  # False: the same partner event was already recorded


async def record_request(
    families: FamilyStore,
    keys: FamilyKeys,
    body: RequestFields,
    *,
    association_id: str | None,
    channel: RequestChannel,
    family_id: str | None = None,
    recorded_by: str | None = None,
    possible_duplicates: list[str] | None = None,
) -> Recorded:
    """Store a family, its request and the pseudonymised event, in one document write.

    `family_id` makes the write idempotent: a partner event recorded twice creates one
    request (the second call returns the first one's id). `possible_duplicates` are
    families staff saw in the duplicate search and declared different: flagged, not merged.
    """
    now = datetime.now(UTC)
    family_id = family_id or uuid.uuid4().hex
    request_id, family_ref = domain.new_request_id(), domain.new_family_ref()
    payload = domain.submitted_event(
        request_id=request_id,
        family_ref=family_ref,
        postal_code=body.postal_code,
        children_birth_years=[c.birth_year for c in body.children],
        needs=body.needs,
        availability=body.availability,
        languages=body.languages,
        signs=set(body.signs),
        association_id=association_id,
        channel=channel,
        consent_to_matching=body.consent.matching,
        at=now,
        contact_channels=body.contact_preferences,
    )
    key = await keys.key_for(family_id, family_ref)
    identity = identity_of(body)
    family: dict[str, Any] = {
        "_id": family_id,
        "family_ref": family_ref,
        "association_id": association_id,
        "departement": payload.departement,
        "identity": sealing.seal(key, family_id, identity),
        "lookup": lookup_hashes(keys, body.parent),
        "possible_duplicates": possible_duplicates or [],
        "contacts": [],
        "children": [c.model_dump() for c in body.children],
        "postal_code": body.postal_code,
        "languages": body.languages,
        "consent": body.consent.model_dump(mode="json"),
        "created_at": now,
        "last_contact_at": now,
    }
    stored_request = {
        "request_id": request_id,
        "status": "submitted",
        "revision": payload.revision,
        "needs": payload.needs,
        "availability": [s.model_dump() for s in body.availability],
        "signs": body.signs,
        "urgency": payload.urgency,
        "notes": sealing.seal(key, family_id, body.notes),
        "association_id": association_id,
        "channel": payload.channel,
        "submitted_at": now,
        "recorded_by": recorded_by,
    }
    event = new_event(payload, source=SOURCE, subject=family_ref)
    try:
        await families.add_family(family, stored_request, [event])
    except DuplicateKeyError:
        existing = await families.get(family_id)
        if existing is None:  # the clash was not on this id: a real error
            raise
        return Recorded(existing["requests"][0]["request_id"], family_id, created=False)
    return Recorded(request_id, family_id, created=True)


def identity_of(body: RequestFields) -> dict[str, Any]:
    """What is sealed with the family's key: who the parent is and how to reach them."""
    return {
        "parent": body.parent.model_dump(),
        "commune": body.commune,
        "contact_preferences": body.contact_preferences,
    }


def lookup_hashes(keys: FamilyKeys, parent: ParentIn) -> list[str]:
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


async def possible_duplicates(
    families: FamilyStore, keys: FamilyKeys, parent: ParentIn
) -> list[dict[str, Any]]:
    """Families already known with the same name, phone or e-mail (summaries, any scope)."""
    return await families.matching_lookup(lookup_hashes(keys, parent))


async def ingest_partner_event(
    families: FamilyStore, keys: FamilyKeys, event: PartnerEvent
) -> Recorded:
    """Record a partner's request once, whichever door it came through and however often."""
    return await record_request(
        families,
        keys,
        event.data,
        association_id=event.data.association_id,
        channel=RequestChannel.PARTNER,
        family_id=partners.family_id(event.source, event.id),
    )


async def family_identity(families: FamilyStore, keys: FamilyKeys, family_id: str) -> Any:
    """The family's identity in clear, or None if unknown or its key was destroyed."""
    family = await families.get(family_id)
    key = await keys.existing(family_id)
    if family is None or key is None:
        return None
    return sealing.unseal(key, family_id, family["identity"])
