"""The partner door's batches, against the fakes: each event once, one lookup, one key
call and one write per batch, erased families refused."""

from entraide.contracts.events import RequestSubmitted
from entraide.contracts.vocab import RequestChannel
from entraide.intake.domain import partners, sealing
from entraide.intake.entrypoints.partner_event import PartnerEvent
from entraide.intake.usecases import partner_requests
from entraide.intake.usecases.commands import PartnerSubmission
from tests.unit.intake.builders import details
from tests.unit.intake.fakes import FakeKeys, FakeUnitOfWork

SOURCE = "urn:entraide:partner:caf-44"


def partner_event(event_id: str) -> PartnerSubmission:
    """A partner's event as the door validates it, and the command it becomes."""
    body = details()
    event = PartnerEvent.model_validate(
        {
            "specversion": "1.0",
            "id": event_id,
            "source": SOURCE,
            "type": "fr.entraide.partner.request-submitted.v1",
            "data": {
                "parent": {"first_name": "Amina", "last_name": "Diallo"},
                "children": [{"birth_year": year} for year in body.children_birth_years],
                "postal_code": body.postal_code,
                "commune": body.commune,
                "needs": list(body.needs),
                "notes": "fatiguée",
                "consent": {
                    "matching": True,
                    "collected_by": "CAF",
                    "collected_at": "2026-11-28T10:00:00Z",
                },
            },
        }
    )
    return event.submission()


async def test_a_batch_records_each_event_once_in_one_write_with_one_key_call() -> None:
    uow, keys = FakeUnitOfWork(), FakeKeys()
    events = [partner_event(f"caf-{n}") for n in range(5)]
    batch = await partner_requests.ingest_partner_events(uow, keys, events + events[:2])
    assert len(batch.recorded) == 5
    assert batch.erased == []
    assert (uow.batches, keys.batch_calls) == (1, 1)
    assert len(uow.events_of(RequestSubmitted)) == 5
    for recorded in batch.recorded:
        family = uow.families.stored[recorded.family_id]
        assert family.requests[0].request_id == recorded.request_id
        assert family.requests[0].channel == RequestChannel.PARTNER
        key = keys.keys[family.id]
        assert sealing.unseal(key, family.id, family.identity)["parent"]["last_name"] == "Diallo"


async def test_a_batch_resent_records_nothing_again_and_asks_no_key() -> None:
    uow, keys = FakeUnitOfWork(), FakeKeys()
    events = [partner_event(f"caf-{n}") for n in range(3)]
    await partner_requests.ingest_partner_events(uow, keys, events)
    again = await partner_requests.ingest_partner_events(uow, keys, events)
    assert again.recorded == []
    assert again.erased == []
    assert (uow.batches, keys.batch_calls) == (1, 1)
    assert len(uow.published) == 3


async def test_the_same_event_by_either_door_is_one_request() -> None:
    uow, keys = FakeUnitOfWork(), FakeKeys()
    event = partner_event("caf-http-first")
    first = await partner_requests.ingest_partner_event(uow, keys, event)
    batch = await partner_requests.ingest_partner_events(
        uow, keys, [event, partner_event("caf-other")]
    )
    assert [r.family_id for r in batch.recorded] != [first.family_id]
    assert len(batch.recorded) == 1
    assert len(uow.published) == 2


async def test_an_erased_familys_event_is_refused_the_others_recorded() -> None:
    uow, keys = FakeUnitOfWork(), FakeKeys()
    erased, fresh = partner_event("caf-erased"), partner_event("caf-fresh")
    await keys.destroy(partners.family_id(SOURCE, erased.event_id))
    batch = await partner_requests.ingest_partner_events(uow, keys, [erased, fresh])
    assert batch.erased == [erased]
    assert [r.family_id for r in batch.recorded] == [partners.family_id(SOURCE, fresh.event_id)]
    assert list(uow.families.stored) == [partners.family_id(SOURCE, fresh.event_id)]


async def test_a_partner_family_recorded_again_on_an_empty_store_gets_the_same_ids() -> None:
    """The store restored to a point before the event: the partner's resend names the same
    family reference and request to matching (which may have seen the first one), through
    both doors; another event gets others, and a staff family stays random."""
    first_uow, restored_uow, keys = FakeUnitOfWork(), FakeUnitOfWork(), FakeKeys()
    [first] = (await partner_requests.ingest_partner_events(first_uow, keys, [partner_event("caf-1")])).recorded  # fmt: skip
    again = await partner_requests.ingest_partner_event(restored_uow, keys, partner_event("caf-1"))
    other = await partner_requests.ingest_partner_event(restored_uow, keys, partner_event("caf-2"))
    assert again.created
    assert again.request_id == first.request_id
    first_ref = first_uow.families.stored[first.family_id].family_ref
    assert restored_uow.families.stored[again.family_id].family_ref == first_ref
    assert other.request_id != first.request_id
    assert restored_uow.families.stored[other.family_id].family_ref != first_ref
    assert len(first_ref) == 22
    assert len(first.request_id) == 32
