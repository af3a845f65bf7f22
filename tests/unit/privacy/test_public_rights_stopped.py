"""A proved code opens each case once and the person is told its outcome, wherever privacy
stops between opening her cases and recording them on her request: a retry of the same
code opens nothing again, and a request nobody tries again is followed to its answer by
the passes. Before, a stop after the cases opened left the request waiting: the code again
opened them a second time, and the stale pass forgot her contact, so no answer reached her.
"""

from collections.abc import Callable
from typing import Any

import pytest

from entraide.contracts.events import AccessAcknowledged, ErasureAcknowledged
from entraide.kit.export_seal import seal_for
from entraide.privacy.domain.cases import CaseKind, CaseStatus
from entraide.privacy.domain.requests_from_people import Status, Verdict
from tests.unit.privacy.test_public_rights import FAMILY, PHONE, _channel
from tests.unit.privacy.test_public_rights_forgotten import DiedError, OnceNotifier

PROVED = "public-request-proved"
BOTH = {PHONE.term: ["fam-ref-0001", "fam-ref-0002"]}
STATEMENT = "Mon numéro a changé : 07 98 76 54 32."


def _stop_once(owner: Any, name: str, when: Callable[..., bool] = lambda *_: True) -> None:
    """`owner.name` stops the process the first time it is called as `when` says."""
    step, armed = getattr(owner, name), [True]

    async def stopping(*args: Any, **kwargs: Any) -> Any:
        if armed[0] and when(*args):
            armed[0] = False
            raise DiedError
        return await step(*args, **kwargs)

    setattr(owner, name, stopping)


def _recording(request) -> bool:
    """The save that records the opened cases' ids on the request."""
    return bool(request.case_ids)


async def _asked(kind: CaseKind, known=BOTH):
    world, public, requests, seal, _, notifier = _channel(known)
    public.notifier = public.codes = OnceNotifier(notifier.sent)
    statement = STATEMENT if kind is CaseKind.RECTIFICATION else None
    asked = await public.ask(kind, FAMILY, PHONE, address="a", statement=statement)
    return world, public, requests, seal, notifier, asked.request.request_id


def _cases_of(world, ref: str) -> list:
    return [c for c in world.cases.cases.values() if c.subject_ref == ref]


STEPS = [
    (CaseKind.ACCESS, "keys", "get_or_create"),  # the access case's key made, no case yet
    (CaseKind.ACCESS, "cases", "add"),
    (CaseKind.ERASURE, "audit", "record_many"),  # the case stored, not announced
    (CaseKind.ERASURE, "commands", "send"),  # announced, its command not sent
    (CaseKind.ERASURE, "audit", "proved"),  # the case's « contact prouvé » entry
    (CaseKind.RECTIFICATION, "statements", "seal"),  # the statement not under its case yet
    (CaseKind.RECTIFICATION, "statements", "forget"),
    (CaseKind.ERASURE, "requests", "save"),  # every case opened, the ids not recorded
]


@pytest.mark.parametrize(("kind", "owner", "step"), STEPS)
async def test_stopped_while_her_cases_open_the_code_again_opens_each_once(
    kind, owner, step
) -> None:
    world, public, requests, _, notifier, request_id = await _asked(kind)
    code = notifier.sent[0].context["code"]
    where = {"keys": world.keys, "cases": world.cases, "audit": world.audit}
    where |= {"commands": world.commands, "statements": public.statements, "requests": requests}
    when = _recording if owner == "requests" else (lambda *_: True)
    if owner == "statements" and step == "seal":  # the pending one is sealed as she asks
        when = lambda ref, *_: ref.startswith("case-")  # noqa: E731
    if step == "proved":  # written under its own id, as « case-opened »
        step, when = "record_many", lambda entries: entries[0]["action"] == PROVED
    _stop_once(where[owner], step, when)
    with pytest.raises(DiedError):
        await public.prove(request_id, code)

    again = await public.prove(request_id, code)
    assert again.verdict is Verdict.PROVEN
    assert again.found == 2
    for ref in ("fam-ref-0001", "fam-ref-0002"):
        assert len(_cases_of(world, ref)) == 1, f"{ref}: one case, not opened twice"
    stored = requests.requests[request_id]
    assert stored.status is Status.PROVEN
    assert sorted(stored.case_ids) == sorted(world.cases.cases)
    for case_id in stored.case_ids:  # journalled as opened and as the person's, once
        _opened_once(world, case_id)
        assert world.audit.actions(case_id).count("public-request-proved") == 1
    world.clock.advance(minutes=6)
    await world.rights.tick()  # the watchdog sends what a stop left unsent
    assert {c.case_id for c in world.commands.sent} == set(world.cases.cases)
    if kind is CaseKind.RECTIFICATION:
        for case_id in stored.case_ids:
            assert await public.statement(world.cases.cases[case_id]) == STATEMENT
        assert set(public.statements.sealed) == {f"case-{c}" for c in stored.case_ids}
    if kind is CaseKind.ACCESS:  # each case's parts open with the key the vault holds
        for case_id in stored.case_ids:
            await _answered(world, case_id)
        assert await public.deliver() == 1
        (link,) = [n for n in notifier.sent if n.template == "droits-export"]
        assert link.context["parts"] == 2


def _opened_once(world, case_id: str) -> None:
    """The officer's trail says the case opened, once, by the person, naming no one."""
    (opened,) = [e for e in world.audit.entries if e["case_id"] == case_id and e["action"] == "case-opened"]  # fmt: skip
    case = world.cases.cases[case_id]
    assert opened == {
        "at": case.opened_at, "case_id": case_id, "action": "case-opened",
        "actor": "personne", "kind": case.kind.value, "reason": "rights-request",
    }  # fmt: skip


async def _answered(world, case_id: str) -> None:
    case = world.cases.cases[case_id]
    for service in world.services:
        part = {"service": service} if service == "intake" else {}
        await world.rights.record_ack(
            AccessAcknowledged(
                case_id=case_id, subject_ref=case.subject_ref, service=service,
                completed_at=world.clock(), sealed_export=seal_for(case.recipient_key, case_id, part),
            )
        )  # fmt: skip
    export = await world.rights.export(case_id)
    assert export is not None
    assert export["services"]["intake"] == {"service": "intake"}


async def _erased(world, case_id: str) -> None:
    ref = world.cases.cases[case_id].subject_ref
    for service in world.services:
        await world.rights.record_ack(
            ErasureAcknowledged(
                case_id=case_id, subject_ref=ref, service=service,
                completed_at=world.clock(), counts={},
            )
        )  # fmt: skip
    assert world.cases.cases[case_id].status is CaseStatus.CLOSED


@pytest.mark.parametrize("owner", ["audit", "commands", "requests"])
async def test_stopped_after_her_cases_opened_the_passes_follow_her_to_the_answer(owner) -> None:
    world, public, requests, seal, notifier, request_id = await _asked(CaseKind.ERASURE)
    if owner == "audit":  # the first case stored, stopped before its « case-opened » entry
        _stop_once(world.audit, "record_many")
    elif owner == "commands":  # stopped as the first case's command goes
        _stop_once(world.commands, "send")
    else:  # every case opened, stopped as their ids are recorded
        _stop_once(requests, "save", _recording)
    with pytest.raises(DiedError):
        await public.prove(request_id, notifier.sent[0].context["code"])

    world.clock.advance(minutes=16)  # she never tries again: the code expires
    await public.deliver()
    assert request_id in seal.sealed, "her contact kept until she is told"
    stored = requests.requests[request_id]
    assert stored.status is Status.PROVEN
    assert sorted(stored.case_ids) == sorted(world.cases.cases)
    assert len(world.cases.cases) == 2, "the cases opened, each once"
    for case_id in stored.case_ids:
        _opened_once(world, case_id)
    await world.rights.tick()  # the watchdog sends what a stop left unsent
    assert {c.case_id for c in world.commands.sent} == set(world.cases.cases)
    for case_id in stored.case_ids:
        await _erased(world, case_id)
    assert await public.deliver() == 1
    assert await public.deliver() == 0
    (told,) = [n for n in notifier.sent if n.template == "droits-effacement"]
    assert told.to == PHONE.value
    assert request_id not in seal.sealed


async def test_the_code_again_once_her_cases_opened_says_they_are() -> None:
    world, public, _, _, notifier, request_id = await _asked(CaseKind.ERASURE)
    code = notifier.sent[0].context["code"]
    await public.prove(request_id, code)
    again = await public.prove(request_id, code)
    assert again.verdict is Verdict.DONE
    assert again.found == 2, "the page says her request is recorded, not that nothing was found"
    assert len(world.cases.cases) == 2
