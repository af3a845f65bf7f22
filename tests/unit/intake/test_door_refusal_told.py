"""A parent whose own request staff refuse is told, not left waiting for a call that never
comes: out of the network's reach (where to turn near her instead) or unreachable (ask
again on the door), by the channels she chose, as « une association va vous appeler »
would have gone; never for a joke or an abuse; once, however often it is refused.
Against the fakes: the notifier keeps one message a key."""

import asyncio
from typing import Any

import pytest

from entraide.intake.domain import sealing
from entraide.intake.domain.self_requests import RefusalReason, Standing
from entraide.intake.usecases.commands import Parent
from entraide.intake.usecases.self_request_queue import AlreadyDecidedError, ConfirmationQueue
from entraide.intake.usecases.self_requests import FamilyDoor
from entraide.kit.notifications import Channel, Notification
from entraide.kit.notifications.templates import Renderer
from tests.unit.intake.builders import CLAIRE
from tests.unit.intake.fakes import FakeAudit, FakeKeys, FakeUnitOfWork
from tests.unit.intake.test_family_door import NOW, FakeNotifier, FakeQueue, submission

STATUS = "https://entraide.example/suivi"
DOOR = "https://entraide.example/demander-aide"
REFUSED = "demande-non-retenue"
AWA = ("awa.traore@example.org", "06 98 76 54 32")


def world() -> tuple[FamilyDoor, ConfirmationQueue, FakeNotifier]:
    uow, keys, notifier = FakeUnitOfWork(), FakeKeys(), FakeNotifier()
    door = FamilyDoor(FakeQueue(), uow.families, keys, notifier, status_url=STATUS, door_url=DOOR)
    return door, ConfirmationQueue(door, uow, FakeAudit()), notifier


def refusals(notifier: FakeNotifier) -> list[Notification]:
    return [n for n in notifier.sent.values() if n.template == REFUSED]


@pytest.mark.parametrize(
    ("reason", "says"),
    [
        (RefusalReason.OUT_OF_REACH, ("n'agit pas encore", "CCAS", "119", STATUS)),
        (RefusalReason.UNREACHABLE, ("essayé de vous joindre", DOOR, STATUS)),
    ],
)
async def test_a_parent_refused_out_of_reach_or_unreachable_is_told_by_her_channels(
    reason: RefusalReason, says: tuple[str, ...]
) -> None:
    door, queue, notifier = world()
    received = await door.submit(submission(contact_preferences=["sms", "email"]), NOW)
    await queue.refuse(CLAIRE, received.self_id, reason, NOW)

    told = refusals(notifier)
    assert sorted((n.channel, n.to) for n in told) == [
        (Channel.EMAIL, AWA[0]),
        (Channel.SMS, AWA[1]),
    ]
    stored = door.queue.stored[received.self_id]  # type: ignore[attr-defined]
    assert stored.family_id in door.keys.destroyed  # type: ignore[attr-defined]
    for sent in told:
        assert sent.key == f"{received.self_id}:{REFUSED}:{sent.channel}"
        assert sent.recipient_ref == stored.family_ref
        assert sent.context["reason"] == reason.value
        assert sent.context["code"] == received.code
    mail = next(n for n in told if n.channel == Channel.EMAIL)
    text = Renderer().render(REFUSED, Channel.EMAIL, mail.context, mail.language).text
    for words in (*says, received.code):
        assert words in text
    sms = next(n for n in told if n.channel == Channel.SMS)
    assert received.code in Renderer().render(REFUSED, Channel.SMS, sms.context).text
    assert (await door.status(received.code)).standing == Standing.REFUSED  # type: ignore[union-attr]


async def test_a_joke_or_an_abuse_refused_is_told_nothing() -> None:
    door, queue, notifier = world()
    received = await door.submit(submission(contact_preferences=["sms", "email"]), NOW)
    await queue.refuse(CLAIRE, received.self_id, RefusalReason.NOT_A_REQUEST, NOW)
    assert refusals(notifier) == []
    assert {n.template for n in notifier.sent.values()} == {"demande-recue"}


async def test_a_refusal_decided_twice_tells_her_once() -> None:
    """Two staff at once, then one retrying: the first decision alone tells her."""
    door, queue, notifier = world()
    received = await door.submit(submission(), NOW)
    first, second = await asyncio.gather(
        queue.refuse(CLAIRE, received.self_id, RefusalReason.UNREACHABLE, NOW),
        queue.refuse(CLAIRE, received.self_id, RefusalReason.OUT_OF_REACH, NOW),
        return_exceptions=True,
    )
    assert [first, second].count(None) == 1
    with pytest.raises(AlreadyDecidedError):
        await queue.refuse(CLAIRE, received.self_id, RefusalReason.UNREACHABLE, NOW)
    assert door.sent.count(REFUSED) == 1  # one send asked for, by her one channel
    [sent] = refusals(notifier)
    assert sent.channel == Channel.EMAIL


async def test_a_call_chosen_is_told_as_demande_suite_tells_it_in_her_language() -> None:
    """A call chosen: an SMS on that phone, as « une association va vous appeler » goes
    (`written_channels`); her door's language, its links opened in it."""
    door, queue, notifier = world()
    by_call = submission(
        parent=Parent("Ana", "Lima", "07 11 22 33 44"), contact_preferences=["phone"], language="pt"
    )
    received = await door.submit(by_call, NOW)
    await queue.refuse(CLAIRE, received.self_id, RefusalReason.UNREACHABLE, NOW)
    [sent] = refusals(notifier)
    assert (sent.channel, sent.to, sent.language) == (Channel.SMS, "07 11 22 33 44", "pt")
    assert sent.context["door_url"] == f"{DOOR}?lang=pt"
    assert sent.context["status_url"] == f"{STATUS}?lang=pt"


class CountingKeys(FakeKeys):
    """Counts the reads of each family's key: an unsealing reads it once."""

    def __init__(self) -> None:
        super().__init__()
        self.reads: dict[str, int] = {}

    async def existing(self, family_id: str) -> bytes | None:
        self.reads[family_id] = self.reads.get(family_id, 0) + 1
        return await super().existing(family_id)


async def test_a_refusal_she_is_told_of_unseals_her_details_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Staff's refusal opens her sealed details to check the request, then tells her with
    what it opened: her identity is decrypted once, not a second time to address her."""
    uow, keys, notifier = FakeUnitOfWork(), CountingKeys(), FakeNotifier()
    door = FamilyDoor(FakeQueue(), uow.families, keys, notifier, status_url=STATUS, door_url=DOOR)
    queue = ConfirmationQueue(door, uow, FakeAudit())
    received = await door.submit(submission(contact_preferences=["sms", "email"]), NOW)
    family_id = door.queue.stored[received.self_id].family_id  # type: ignore[attr-defined]
    unsealed: list[str] = []
    real = sealing.unseal

    def counted(key: bytes, sealed_for: str, sealed: dict[str, str]) -> Any:
        unsealed.append(sealed_for)
        return real(key, sealed_for, sealed)

    monkeypatch.setattr(sealing, "unseal", counted)
    keys.reads.clear()

    await queue.refuse(CLAIRE, received.self_id, RefusalReason.OUT_OF_REACH, NOW)

    assert len(refusals(notifier)) == 2, "told by e-mail and SMS"
    assert unsealed == [family_id]
    assert keys.reads == {family_id: 1}
