"""Recording a family and its request, against the fakes: no Kafka, no store."""

import json

from entraide.contracts.events import RequestSubmitted
from entraide.contracts.vocab import RequestChannel, Urgency
from entraide.intake.domain import sealing
from entraide.intake.entrypoints.partner_event import PartnerEvent
from entraide.intake.usecases import partner_requests, recording
from entraide.intake.usecases.commands import Parent
from tests.unit.intake.builders import details
from tests.unit.intake.fakes import FakeKeys, FakeUnitOfWork

API = RequestChannel.STAFF_API


async def test_a_request_is_stored_with_its_family_and_its_event_in_one_write() -> None:
    uow, keys = FakeUnitOfWork(), FakeKeys()
    recorded = await recording.record_request(
        uow,
        keys,
        details(),
        association_id="parrains-par-mille",
        channel=RequestChannel.STAFF_API,
        recorded_by="staff-claire",
    )
    assert recorded.created
    assert (uow.writes, uow.wakes) == (1, 1)
    family = uow.families.stored[recorded.family_id]
    assert family.version == 1
    assert family.departement == "44"
    [request] = family.requests
    assert (request.request_id, request.status, request.revision) == (
        recorded.request_id,
        "submitted",
        1,
    )
    assert request.urgency == Urgency.HIGH  # exhausted, nobody to turn to
    assert request.recorded_by == "staff-claire"
    [event] = uow.events_of(RequestSubmitted)
    assert event.request_id == recorded.request_id
    assert event.family_ref == family.family_ref
    assert event.departement == "44"
    assert event.children_age_bands


async def test_identity_and_notes_are_sealed_and_never_in_the_event() -> None:
    uow, keys = FakeUnitOfWork(), FakeKeys()
    recorded = await recording.record_request(
        uow, keys, details(), association_id="ppm", channel=RequestChannel.STAFF_FORM
    )
    family = uow.families.stored[recorded.family_id]
    key = keys.keys[recorded.family_id]
    identity = sealing.unseal(key, family.id, family.identity)
    assert identity["parent"]["last_name"] == "Diallo"
    assert identity["commune"] == "Nantes"
    assert sealing.unseal(key, family.id, family.requests[0].notes).startswith("Maman solo")
    published = uow.published[0].model_dump_json()
    for value in ("Amina", "Diallo", "06 12", "amina.diallo", "Nantes", "fatigu"):
        assert value not in published
        assert value not in json.dumps(family.identity)


async def test_a_partner_event_received_twice_makes_one_request() -> None:
    uow, keys = FakeUnitOfWork(), FakeKeys()
    body = details()
    event = PartnerEvent.model_validate(
        {
            "specversion": "1.0",
            "id": "caf-0001",
            "source": "urn:entraide:partner:caf-44",
            "type": "fr.entraide.partner.request-submitted.v1",
            "data": {
                "parent": {"first_name": "Amina", "last_name": "Diallo"},
                "children": [{"birth_year": year} for year in body.children_birth_years],
                "postal_code": body.postal_code,
                "commune": body.commune,
                "needs": list(body.needs),
                "consent": {
                    "matching": True,
                    "collected_by": "CAF",
                    "collected_at": "2026-11-28T10:00:00Z",
                },
            },
        }
    )
    first = await partner_requests.ingest_partner_event(uow, keys, event.submission())
    again = await partner_requests.ingest_partner_event(uow, keys, event.submission())
    assert first.created
    assert not again.created
    assert (again.request_id, again.family_id) == (first.request_id, first.family_id)
    assert len(uow.families.stored) == 1
    assert len(uow.published) == 1
    assert uow.families.stored[first.family_id].requests[0].channel == RequestChannel.PARTNER


async def test_a_family_with_the_same_name_phone_or_email_is_a_possible_duplicate() -> None:
    uow, keys = FakeUnitOfWork(), FakeKeys()
    known = await recording.record_request(
        uow, keys, details(), association_id="ppm", channel=RequestChannel.STAFF_FORM
    )
    same_phone = Parent("Aminata", "Sow", phone="+33 6 12 34 56 78")
    same_name = Parent("amina", "DIALLO")
    stranger = Parent("Zoé", "Martin", email="zoe@example.org")
    for parent in (same_phone, same_name):
        [found] = await uow.families.similar(recording.lookup_hashes(keys, parent))
        assert found.id == known.family_id
    assert await uow.families.similar(recording.lookup_hashes(keys, stranger)) == []


async def test_a_family_declared_different_is_recorded_flagged_not_merged() -> None:
    uow, keys = FakeUnitOfWork(), FakeKeys()
    known = await recording.record_request(
        uow, keys, details(), association_id="ppm", channel=RequestChannel.STAFF_FORM
    )
    other = await recording.record_request(
        uow,
        keys,
        details(),
        association_id="ppm",
        channel=RequestChannel.STAFF_FORM,
        possible_duplicates=[known.family_id],
    )
    assert other.family_id != known.family_id
    assert uow.families.stored[other.family_id].possible_duplicates == [known.family_id]
    assert uow.families.stored[known.family_id].possible_duplicates == []


async def test_the_api_records_a_new_family_indexed_by_its_own_search() -> None:
    uow, keys = FakeUnitOfWork(), FakeKeys()
    recorded, duplicates = await recording.record_unless_known(
        uow, keys, details(), confirm_new=False, association_id="ppm", channel=API
    )
    assert recorded is not None
    assert duplicates == []
    family = uow.families.stored[recorded.family_id]
    assert family.lookup == recording.lookup_hashes(keys, details().parent)
    assert recorded.family_id in keys.keys
    assert uow.families.indexed == {}  # indexed by the search, then recorded


async def test_the_api_records_nothing_for_a_possible_duplicate_until_confirmed() -> None:
    uow, keys = FakeUnitOfWork(), FakeKeys()
    known, _ = await recording.record_unless_known(
        uow, keys, details(), confirm_new=False, association_id="ppm", channel=API
    )
    assert known is not None
    refused, duplicates = await recording.record_unless_known(
        uow, keys, details(), confirm_new=False, association_id="ppm", channel=API
    )
    assert refused is None
    assert [d.id for d in duplicates] == [known.family_id]
    assert (len(uow.families.stored), uow.writes) == (1, 1)
    assert uow.families.indexed == {}, "left the index"
    assert len(keys.destroyed) == 1, "its key destroyed"
    assert set(keys.keys) == {known.family_id}
    confirmed, duplicates = await recording.record_unless_known(
        uow, keys, details(), confirm_new=True, association_id="ppm", channel=API
    )
    assert confirmed is not None
    assert confirmed.family_id not in keys.destroyed
    assert uow.families.stored[confirmed.family_id].possible_duplicates == [known.family_id]


async def test_the_identity_is_gone_once_the_key_is_destroyed() -> None:
    uow, keys = FakeUnitOfWork(), FakeKeys()
    recorded = await recording.record_request(
        uow, keys, details(), association_id="ppm", channel=RequestChannel.STAFF_FORM
    )
    identity = await recording.family_identity(uow.families, keys, recorded.family_id)
    assert identity["parent"]["first_name"] == "Amina"
    await keys.destroy(recorded.family_id)
    assert await recording.family_identity(uow.families, keys, recorded.family_id) is None
