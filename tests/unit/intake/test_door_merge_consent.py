"""« Rattacher »: a parent who asks again on the door, ticking its consent boxes, gives her
consent again; her request joined to her family is published with it (it was published
with the family's old consent: withdrawn, never matched). A word of hers given after she
asked on the door (an objection) still stands."""

from datetime import datetime, timedelta

from entraide.contracts.events import RequestSubmitted, RequestUpdated
from entraide.intake.domain.family import Consent
from entraide.intake.usecases import consent
from entraide.intake.usecases.door_details import BY_THE_FAMILY
from entraide.intake.usecases.ports import Action
from tests.unit.intake.builders import CLAIRE, known_to_staff
from tests.unit.intake.fakes import FakeKeys, FakeUnitOfWork
from tests.unit.intake.test_family_door import NOW, submission, world

LATER = NOW + timedelta(days=10)  # the day staff join it


async def _known(uow: FakeUnitOfWork, keys: FakeKeys) -> str:
    return (await known_to_staff(uow, keys)).family_id


def _objected(uow: FakeUnitOfWork, family_id: str, at: datetime) -> None:
    """Her consent to matching withdrawn on that day, as privacy's objection does."""
    given = Consent(False, False, "privacy:objection", at)
    consent.change(uow.families.stored[family_id], given, at)


async def test_asking_again_on_the_door_gives_her_consent_back() -> None:
    door, queue, uow, keys, _ = world()
    family_id = await _known(uow, keys)
    _objected(uow, family_id, NOW - timedelta(days=60))
    received = await door.submit(submission(consent_sharing=True), NOW)
    went = await queue.merge(CLAIRE, received.self_id, family_id, LATER)

    event = uow.events_of(RequestSubmitted)[-1]
    assert event.request_id == went.request_id
    assert event.consent_to_matching is True
    family = uow.families.stored[family_id]
    assert family.consent == Consent(True, True, BY_THE_FAMILY, NOW)  # as she gave it, then
    audited = [e["action"] for e in queue.audit.entries if e["family_id"] == family_id]  # type: ignore[attr-defined]
    assert Action.CONSENT in audited
    # her earlier request, still open, follows her consent as anywhere else (placed again)
    update = uow.events_of(RequestUpdated)[-1]
    assert update.request_id != went.request_id
    assert (update.consent_to_matching, update.revision) == (True, 3)


async def test_an_objection_made_after_she_asked_still_stands() -> None:
    door, queue, uow, keys, _ = world()
    family_id = await _known(uow, keys)
    received = await door.submit(submission(), NOW)
    _objected(uow, family_id, NOW + timedelta(days=2))
    await queue.merge(CLAIRE, received.self_id, family_id, LATER)

    assert uow.events_of(RequestSubmitted)[-1].consent_to_matching is False
    family = uow.families.stored[family_id]
    assert (family.consent.matching, family.consent.collected_by) == (False, "privacy:objection")
    assert Action.CONSENT not in [e["action"] for e in queue.audit.entries]  # type: ignore[attr-defined]
