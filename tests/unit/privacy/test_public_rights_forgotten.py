"""A person's contact at the public rights channel is forgotten even if privacy stops (or the
vault fails) in the middle of its last message: the message is recorded by the notifier
(keyed on the request: once however often), then the contact forgotten, then the request
marked answered, so a pass stopped anywhere is finished by the next one. Before, the request
was marked answered first: stopped there, no pass read it again and the contact stayed
sealed, its key in the vault, for ever. A contact naming nobody too."""

import pytest

from entraide.kit.notifications import Notification
from entraide.privacy.domain.cases import CaseKind
from tests.unit.privacy.test_public_rights import FakeSeal, _ask, _channel, erased_everywhere


class DiedError(Exception):
    """The process stopping (or the store failing) at that step."""


class OnceNotifier:
    """The kit's notifier as callers see it: a key already recorded sends nothing more."""

    def __init__(self, recorded: list[Notification]) -> None:
        self.recorded = recorded

    async def notify(self, notification: Notification) -> None:
        if notification.key not in {n.key for n in self.recorded}:
            self.recorded.append(notification)


def _dying(seal: FakeSeal, requests) -> dict[str, int]:
    """The seal's forget and the requests' save each fail once when armed."""
    armed = {"forget": 0, "save": 0}
    forget, save = seal.forget, requests.save

    async def forgetting(request_id: str) -> None:
        if armed["forget"]:
            armed["forget"] -= 1
            raise DiedError
        await forget(request_id)

    async def saving(request) -> None:
        if armed["save"]:
            armed["save"] -= 1
            raise DiedError
        await save(request)

    seal.forget, requests.save = forgetting, saving
    return armed


async def _erasure_done():
    world, public, requests, seal, _, notifier = _channel()
    public.notifier = public.codes = OnceNotifier(notifier.sent)
    asked = await _ask(public, kind=CaseKind.ERASURE)
    request_id = asked.request.request_id
    proved = await public.prove(request_id, notifier.sent[0].context["code"])
    await erased_everywhere(world, *proved.request.case_ids)
    return public, requests, seal, notifier, request_id


def _done(notifier) -> list[Notification]:
    return [n for n in notifier.sent if n.template == "droits-effacement"]


async def test_stopped_as_the_contact_goes_the_next_pass_forgets_it_told_once() -> None:
    public, requests, seal, notifier, request_id = await _erasure_done()
    armed = _dying(seal, requests)
    armed["forget"] = 1
    with pytest.raises(DiedError):
        await public.deliver()
    assert len(_done(notifier)) == 1, "recorded before the contact goes"

    await public.deliver()
    assert request_id not in seal.sealed, "forgotten by the next pass"
    assert requests.requests[request_id].link_sent_at is not None
    assert len(_done(notifier)) == 1, "told once"
    assert await public.deliver() == 0


async def test_stopped_before_the_request_is_marked_answered_nothing_goes_twice() -> None:
    public, requests, seal, notifier, request_id = await _erasure_done()
    armed = _dying(seal, requests)
    armed["save"] = 1
    with pytest.raises(DiedError):
        await public.deliver()
    assert request_id not in seal.sealed

    assert await public.deliver() == 0, "nothing more to send: the contact has gone"
    assert requests.requests[request_id].link_sent_at is not None
    assert len(_done(notifier)) == 1


async def test_a_contact_naming_nobody_is_forgotten_even_if_stopped_in_the_middle() -> None:
    world, public, requests, seal, _, notifier = _channel({})
    asked = await _ask(public)
    request_id = asked.request.request_id
    armed = _dying(seal, requests)
    armed["forget"] = 1
    with pytest.raises(DiedError):
        await public.prove(request_id, notifier.sent[0].context["code"])
    world.clock.advance(minutes=16)
    await public.deliver()
    assert seal.sealed == {}, "the stale pass forgets what a stopped proof left"
