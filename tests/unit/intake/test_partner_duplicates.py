"""Partners cannot confirm a family is another one: their families are recorded anyway,
flagged with the families known by the same name, phone or e-mail, in the same write."""

from dataclasses import replace

from entraide.contracts.vocab import RequestChannel
from entraide.intake.usecases import duplicates, partner_requests, recording
from entraide.intake.usecases.commands import Parent
from tests.unit.intake.builders import details
from tests.unit.intake.fakes import FakeKeys, FakeUnitOfWork
from tests.unit.intake.test_partner_batches import partner_event


async def test_partner_families_are_recorded_and_flagged_with_those_already_known() -> None:
    uow, keys = FakeUnitOfWork(), FakeKeys()
    known = await recording.record_request(
        uow,
        keys,
        replace(details(), parent=Parent("Amina", "Diallo")),
        association_id="parrains-par-mille",
        channel=RequestChannel.STAFF_API,
    )
    other = await recording.record_request(
        uow,
        keys,
        replace(details(), parent=Parent("Zoé", "Martin")),
        association_id="parrains-par-mille",
        channel=RequestChannel.STAFF_API,
    )
    flagging = duplicates.Flagging(uow)

    one = await partner_requests.ingest_partner_event(flagging, keys, partner_event("e-1"))
    again = await partner_requests.ingest_partner_event(flagging, keys, partner_event("e-1"))
    batch = await partner_requests.ingest_partner_events(
        flagging, keys, [partner_event("e-2"), partner_event("e-3")]
    )

    stored = uow.families.stored
    assert again.created is False
    assert stored[one.family_id].possible_duplicates == [known.family_id]
    two, three = (r.family_id for r in batch.recorded)
    assert set(stored[two].possible_duplicates) == {known.family_id, one.family_id, three}
    assert set(stored[three].possible_duplicates) == {known.family_id, one.family_id, two}
    assert stored[known.family_id].possible_duplicates == []
    assert stored[other.family_id].possible_duplicates == []
    assert uow.batches == 1, "flagged before the batch's one write"


async def test_a_batch_of_one_parent_is_flagged_with_as_many_as_the_pages_show() -> None:
    """500 events of the same parent (a partner's test batch, a bench): each family flagged
    with at most LIMIT_PER_FAMILY others, found by hash, not by comparing every pair."""
    uow, keys = FakeUnitOfWork(), FakeKeys()
    flagging = duplicates.Flagging(uow)
    events = [partner_event(f"same-{n}") for n in range(500)]
    batch = await partner_requests.ingest_partner_events(flagging, keys, events)
    flags = [uow.families.stored[r.family_id].possible_duplicates for r in batch.recorded]
    assert len(flags) == 500
    assert all(len(f) == duplicates.LIMIT_PER_FAMILY for f in flags)
    assert all(r.family_id not in f for r, f in zip(batch.recorded, flags, strict=True))
