"""A door request's decision and what it owes its rectification flags are two writes: the
flags carried onto the family's record when staff confirm it or join it to a family known
(a flag landing while they confirm included), privacy told « erased » when they refuse it.
A crash between the two lost the flag or the answer before, and the case waited for ever.
Now the decision's own write notes what is owed, and the next pass (`settle_owed`: the
queue's scheduler) delivers it: once, however many passes or replicas. Against the fakes,
the store failing at the second write."""

from typing import Any

import pytest

from entraide.contracts.events import RectificationCompleted
from entraide.contracts.vocab import RequestChannel
from entraide.intake.domain.self_requests import RefusalReason
from entraide.intake.usecases import recording
from tests.unit.intake.builders import CLAIRE
from tests.unit.intake.test_family_door import FakeQueue
from tests.unit.intake.test_rectification_at_the_door import AWA, NOW, Waiting, command, waiting


def crash_once(target: Any, name: str) -> None:
    """The store gone at `target.name`'s first call (the process dies there)."""
    real = getattr(target, name)
    calls = {"n": 0}

    async def failing(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 1:
            raise ConnectionError("the store went away")
        return await real(*args, **kwargs)

    setattr(target, name, failing)


async def recovered(w: Waiting) -> None:
    """The scheduler's pass, twice, and a second replica's: each settles what is owed."""
    assert await w.queue.settle_owed(NOW) == 1
    assert await w.queue.settle_owed(NOW) == 0
    assert await w.queue.settle_owed(NOW) == 0


async def test_a_flag_landing_while_staff_confirm_reaches_the_record_after_a_crash() -> None:
    w = await waiting()
    add = w.uow.add

    async def flagged_meanwhile(family: Any) -> Any:  # read before, on no record yet
        await w.rights.rectify(command("case-late", family.family_ref))
        crash_once(w.uow.families, "flag_rectification")  # at the carrying, after
        return await add(family)

    w.uow.add = flagged_meanwhile  # type: ignore[method-assign]
    with pytest.raises(ConnectionError):
        await w.queue.confirm(CLAIRE, w.request.id, NOW)
    [family] = w.uow.families.stored.values()
    assert family.rectifications == [], "the crash: the late flag is not on the record yet"

    await recovered(w)

    assert w.uow.families.stored[family.id].rectifications == ["case-late"]


async def test_joined_to_a_family_known_the_flag_reaches_it_after_a_crash() -> None:
    w = await waiting()
    known = await recording.record_request(
        w.uow, w.keys, AWA, association_id="parrains-par-mille", channel=RequestChannel.STAFF_FORM
    )
    await w.rights.rectify(command("case-joined", w.request.family_ref))
    w.door.queue.stored[w.request.id].possible_duplicates = [known.family_id]  # type: ignore[attr-defined]
    crash_once(w.uow.families, "flag_rectification")
    with pytest.raises(ConnectionError):
        await w.queue.merge(CLAIRE, w.request.id, known.family_id, NOW)
    assert w.uow.families.stored[known.family_id].rectifications == []

    await recovered(w)

    assert w.uow.families.stored[known.family_id].rectifications == ["case-joined"]


async def test_a_flag_carried_then_corrected_is_not_carried_again_by_a_late_pass() -> None:
    w = await waiting()
    await w.rights.rectify(command("case-fixed", w.request.family_ref))
    fake: FakeQueue = w.door.queue  # type: ignore[assignment]
    crash_once(fake, "settle")  # the flags are on the record, the note is not cleared
    with pytest.raises(ConnectionError):
        await w.queue.confirm(CLAIRE, w.request.id, NOW)
    [family] = w.uow.families.stored.values()
    assert family.rectifications == ["case-fixed"]
    [request] = family.requests
    await w.work.rectify(CLAIRE, family.id, request.request_id, AWA)  # staff correct it

    await recovered(w)

    assert w.uow.families.stored[family.id].rectifications == [], "done: not flagged again"
    assert len(w.uow.events_of(RectificationCompleted)) == 1


@pytest.mark.parametrize("at", ["destroy", "settle"])
async def test_refused_while_flagged_privacy_hears_erased_once_after_a_crash(at: str) -> None:
    w = await waiting()
    fake: FakeQueue = w.door.queue  # type: ignore[assignment]
    await w.rights.rectify(command("case-refused", w.request.family_ref))
    crash_once(w.keys if at == "destroy" else fake, at)
    with pytest.raises(ConnectionError):
        await w.queue.refuse(CLAIRE, w.request.id, RefusalReason.UNREACHABLE, NOW)
    assert fake.outbox == [], "the crash: privacy not told yet"

    await recovered(w)

    [(self_id, event)] = fake.outbox
    done = event.data
    assert isinstance(done, RectificationCompleted)
    assert (self_id, done.case_id, done.outcome) == (w.request.id, "case-refused", "erased")
    assert done.completed_at == NOW, "dated as decided, not as recovered"
