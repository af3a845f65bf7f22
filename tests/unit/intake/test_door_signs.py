"""Staff who confirm or join a family's own request note the signs they heard calling the
parent back, as on their own form: the request was published with none, so at the lowest
urgency, whatever the parent said. A joined request keeps what the parent wrote."""

from datetime import timedelta

from entraide.contracts.events import RequestSubmitted
from entraide.contracts.vocab import Urgency
from entraide.intake.domain import sealing
from entraide.intake.domain.requests import Sign
from tests.unit.intake.builders import CLAIRE, known_to_staff
from tests.unit.intake.test_family_door import NOW, submission, world

HEARD = [Sign.EPUISEMENT, Sign.SANS_RELAIS]


async def test_a_confirmed_request_carries_the_signs_staff_noted() -> None:
    door, queue, uow, _, _ = world()
    received = await door.submit(submission(), NOW)
    went = await queue.confirm(CLAIRE, received.self_id, NOW + timedelta(days=1), HEARD)

    [event] = uow.events_of(RequestSubmitted)
    assert (event.signs, event.urgency) == (sorted(HEARD), Urgency.HIGH)
    assert uow.families.stored[went.family_id].requests[0].signs == HEARD


async def test_a_joined_request_carries_the_signs_staff_noted() -> None:
    door, queue, uow, keys, _ = world()
    known = await known_to_staff(uow, keys, signs=[])
    received = await door.submit(submission(), NOW)
    went = await queue.merge(CLAIRE, received.self_id, known.family_id, NOW, [Sign.CRISE])

    event = uow.events_of(RequestSubmitted)[-1]
    assert (event.request_id, event.urgency) == (went.request_id, Urgency.CRITICAL)
    assert event.signs == [Sign.CRISE]


async def test_a_joined_request_keeps_what_the_parent_wrote() -> None:
    """Joining destroys the queue's sealed copy: her message and when to call her back were
    lost with it (the joined request's notes were empty); they are its notes now, as on a
    confirmed request."""
    door, queue, uow, keys, _ = world()
    known = await known_to_staff(uow, keys)
    received = await door.submit(submission(), NOW)
    went = await queue.merge(CLAIRE, received.self_id, known.family_id, NOW)

    family = uow.families.stored[known.family_id]
    joined = next(r for r in family.requests if r.request_id == went.request_id)
    notes = sealing.unseal(
        await keys.key_for(family.id, family.family_ref), family.id, joined.notes
    )
    assert notes == (
        "À rappeler : le matin avant 10 h\n"
        "Message de la famille : Je suis seule avec deux enfants, épuisée."
    )
