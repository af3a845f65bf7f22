"""A parent whose own request is refused out of the network's reach or as unreachable is
told even when intake stops in the middle. Before, the key of her sealed details was
destroyed before the message was recorded by the notifier: a crash, or a notifier failing,
between the two and she was never told (nothing could read her address again, and no pass
owed the message). Now the decision's own write notes the message owed (`telling_until`,
a day on) and keeps her sealed copy; the key goes once the notifier has recorded it, by
the refusal or by the next owed-work pass (`settle_owed`), and a day after the decision at
the latest, told or not. Against the fakes."""

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest

from entraide.contracts.events import RectificationCompleted
from entraide.intake.domain.self_requests import RefusalReason, SelfRequest
from entraide.intake.usecases.door_refusals import TELL_WITHIN
from entraide.intake.usecases.self_request_queue import ConfirmationQueue
from entraide.intake.usecases.self_requests import FamilyDoor
from entraide.kit.notifications import Channel, Notification
from tests.unit.intake.builders import CLAIRE
from tests.unit.intake.fakes import FakeAudit, FakeKeys, FakeUnitOfWork
from tests.unit.intake.test_family_door import NOW, FakeNotifier, FakeQueue, submission
from tests.unit.intake.test_rectification_at_the_door import command, waiting

REFUSED = "demande-non-retenue"
AWA = ("awa.traore@example.org", "06 98 76 54 32")


class FailingNotifier(FakeNotifier):
    """The notifier's store or its mail server away while `failing`: nothing recorded."""

    def __init__(self) -> None:
        super().__init__()
        self.failing = True

    async def notify(self, notification: Notification) -> None:
        if self.failing:  # an error that names the address: it must not reach the logs
            raise ConnectionError(f"cannot record the message to {notification.to}")
        await super().notify(notification)


@dataclass
class Refused:
    door: FamilyDoor
    queue: ConfirmationQueue
    fake: FakeQueue
    keys: FakeKeys
    notifier: FailingNotifier
    self_id: str
    code: str

    def stored(self) -> SelfRequest:
        return self.fake.stored[self.self_id]

    def told(self) -> list[Notification]:
        return [n for n in self.notifier.sent.values() if n.template == REFUSED]

    def key_destroyed(self) -> bool:
        return self.stored().family_id in self.keys.destroyed


async def asked(**changes: Any) -> Refused:
    uow, keys, notifier, fake = FakeUnitOfWork(), FakeKeys(), FailingNotifier(), FakeQueue()
    door = FamilyDoor(fake, uow.families, keys, notifier)
    notifier.failing = False  # her « demande reçue » goes
    received = await door.submit(submission(**changes), NOW)
    queue = ConfirmationQueue(door, uow, FakeAudit())
    return Refused(door, queue, fake, keys, notifier, received.self_id, received.code)


async def test_a_parent_refused_while_the_notifier_fails_is_told_by_the_next_pass(
    caplog: pytest.LogCaptureFixture,
) -> None:
    r = await asked(contact_preferences=["sms", "email"])
    r.notifier.failing = True
    with caplog.at_level(logging.DEBUG):
        await r.queue.refuse(CLAIRE, r.self_id, RefusalReason.OUT_OF_REACH, NOW)  # decided

    assert r.told() == []
    assert not r.key_destroyed(), "her details kept while the message is owed"
    assert r.stored().sealed
    assert r.stored().telling_until == NOW + TELL_WITHIN
    [warned] = [w for w in caplog.records if "owed to the next pass" in w.getMessage()]
    assert warned.__dict__["self_id"] == r.self_id
    logged = " ".join(str(w.__dict__) for w in caplog.records)  # extras included
    for personal in (*AWA, "Awa", "Traoré", r.code):
        assert personal not in logged

    r.notifier.failing = False
    assert await r.queue.settle_owed(NOW + timedelta(minutes=1)) == 1

    assert sorted((n.channel, n.to) for n in r.told()) == [
        (Channel.EMAIL, AWA[0]),
        (Channel.SMS, AWA[1]),
    ]
    assert all(
        n.context["reason"] == "out-of-reach" and n.context["code"] == r.code for n in r.told()
    )
    assert r.key_destroyed(), "then nothing readable is kept"
    assert (r.stored().sealed, r.stored().telling_until) == ({}, None)
    assert await r.queue.settle_owed(NOW + timedelta(minutes=2)) == 0
    assert len(r.told()) == 2


class Died(BaseException):
    """The process stopped there (no error a use case catches: it is killed)."""


@pytest.mark.parametrize("at", ["decide", "notify", "destroy"])
async def test_a_refusal_cut_short_by_a_crash_tells_her_once_by_the_next_pass(at: str) -> None:
    """The process dies just after the decision's write, while telling, or as the key
    goes: the pass tells her (or finds the notifier has it: once), then destroys it."""
    r = await asked()
    target = {"decide": r.fake, "notify": r.notifier, "destroy": r.keys}[at]
    real = getattr(target, at)

    async def then_dies(*args: Any) -> None:
        await real(*args)
        raise Died(at)

    setattr(target, at, then_dies)
    with pytest.raises(Died):
        await r.queue.refuse(CLAIRE, r.self_id, RefusalReason.UNREACHABLE, NOW)
    setattr(target, at, real)  # intake started again

    assert await r.queue.settle_owed(NOW + timedelta(minutes=1)) == 1

    [sent] = r.told()
    assert (sent.channel, sent.to, sent.context["reason"]) == (Channel.EMAIL, AWA[0], "unreachable")
    assert r.key_destroyed()
    assert (r.stored().sealed, r.stored().telling_until) == ({}, None)
    assert await r.queue.settle_owed(NOW + timedelta(minutes=2)) == 0


async def test_never_told_her_details_are_destroyed_a_day_after_the_refusal() -> None:
    """The bound: telling is tried by every pass for a day after the decision, then her
    key is destroyed untold, and a notifier back later sends nothing."""
    r = await asked()
    r.notifier.failing = True
    await r.queue.refuse(CLAIRE, r.self_id, RefusalReason.UNREACHABLE, NOW)
    for later in (timedelta(minutes=1), timedelta(hours=12), TELL_WITHIN - timedelta(seconds=1)):
        assert await r.queue.settle_owed(NOW + later) == 0
        assert not r.key_destroyed()

    assert await r.queue.settle_owed(NOW + TELL_WITHIN) == 1

    assert r.key_destroyed()
    assert (r.stored().sealed, r.stored().telling_until) == ({}, None)
    r.notifier.failing = False
    assert await r.queue.settle_owed(NOW + TELL_WITHIN + timedelta(minutes=1)) == 0
    assert r.told() == []


async def test_not_a_request_owes_nothing_and_its_key_goes_at_once() -> None:
    r = await asked()
    r.notifier.failing = True  # not even asked
    await r.queue.refuse(CLAIRE, r.self_id, RefusalReason.NOT_A_REQUEST, NOW)
    assert r.key_destroyed()
    assert (r.stored().sealed, r.stored().telling_until) == ({}, None)
    assert await r.queue.settle_owed(NOW + timedelta(minutes=1)) == 0


async def test_a_flag_on_a_request_refused_untold_is_answered_erased_once_it_is() -> None:
    """Privacy hears « erased » when the key is gone, not while it waits to tell her."""
    w = await waiting()
    fake: FakeQueue = w.door.queue  # type: ignore[assignment]
    notifier = FailingNotifier()
    w.door.notifier = notifier
    await w.rights.rectify(command("case-refused", w.request.family_ref))
    await w.queue.refuse(CLAIRE, w.request.id, RefusalReason.OUT_OF_REACH, NOW)
    assert fake.outbox == [], "her details still readable: not erased yet"

    notifier.failing = False
    assert await w.queue.settle_owed(NOW + timedelta(minutes=1)) == 1

    assert w.request.family_id in w.keys.destroyed
    [(_, event)] = fake.outbox
    assert isinstance(event.data, RectificationCompleted)
    assert (event.data.outcome, event.data.completed_at) == ("erased", NOW)
    assert [n.template for n in notifier.sent.values()] == [REFUSED]


async def test_a_joke_refused_while_the_vault_is_away_has_its_key_destroyed_by_the_next_pass() -> (
    None
):
    """Not a request: nothing to tell, her key goes at once; the vault away at that moment,
    the decision stands and the next pass destroys it (before, nothing owed it: the key
    stayed in the vault for good)."""
    r = await asked()
    real = r.keys.destroy

    async def away(family_id: str) -> None:
        raise ConnectionError("the vault went away")

    r.keys.destroy = away  # type: ignore[method-assign]
    with pytest.raises(ConnectionError):
        await r.queue.refuse(CLAIRE, r.self_id, RefusalReason.NOT_A_REQUEST, NOW)
    r.keys.destroy = real  # type: ignore[method-assign]
    assert not r.key_destroyed()
    assert r.stored().sealed == {}, "the decision's write emptied her copy"

    assert await r.queue.settle_owed(NOW + timedelta(minutes=1)) == 1

    assert r.key_destroyed()
    assert await r.queue.settle_owed(NOW + timedelta(minutes=2)) == 0
