"""A family's own request keeps the day she asked on the door, whenever staff confirm it or
join it to her family: matching ranks by waiting time from that day and the observatory
measures its delays from it; her request is the contact her retention clock counts from."""

from datetime import UTC, datetime, timedelta

from entraide.contracts.events import RequestSubmitted
from entraide.contracts.vocab import RequestChannel
from entraide.intake.usecases import recording
from tests.unit.intake.builders import CLAIRE, details, known_to_staff
from tests.unit.intake.test_family_door import NOW, submission, world

LATER = NOW + timedelta(days=10)  # the day staff read it


async def test_a_confirmed_request_is_dated_the_day_the_family_asked() -> None:
    door, queue, uow, _, _ = world()
    received = await door.submit(submission(), NOW)
    went = await queue.confirm(CLAIRE, received.self_id, LATER)

    [event] = uow.events_of(RequestSubmitted)
    assert event.submitted_at == NOW
    family = uow.families.stored[went.family_id]
    assert family.requests[0].submitted_at == NOW  # « Demande du 30 novembre 2026 »
    assert family.last_contact_at == NOW  # her own request, not staff reading it


async def test_a_joined_request_is_dated_the_day_the_family_asked() -> None:
    door, queue, uow, keys, _ = world()
    known = await known_to_staff(uow, keys)
    uow.families.stored[known.family_id].last_contact_at = NOW - timedelta(days=400)
    received = await door.submit(submission(), NOW)
    went = await queue.merge(CLAIRE, received.self_id, known.family_id, LATER)
    family = uow.families.stored[known.family_id]

    event = uow.events_of(RequestSubmitted)[-1]
    assert (event.request_id, event.submitted_at) == (went.request_id, NOW)
    joined = next(r for r in family.requests if r.request_id == went.request_id)
    assert joined.submitted_at == NOW
    assert family.last_contact_at == NOW  # asking again is a contact: her clock restarts


async def test_staff_recording_is_dated_when_recorded() -> None:
    _, _, uow, keys, _ = world()
    before = datetime.now(UTC)
    known = await recording.record_request(
        uow, keys, details(), association_id=None, channel=RequestChannel.STAFF_FORM
    )
    [event] = uow.events_of(RequestSubmitted)
    assert event.submitted_at >= before
    family = uow.families.stored[known.family_id]
    assert family.requests[0].submitted_at == event.submitted_at == family.created_at
    assert family.last_contact_at == family.created_at
