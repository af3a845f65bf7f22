"""A rectification asked at the public rights channel may say what is wrong and what to
write instead (GDPR art. 16, « a supplementary statement »): sealed with the request (never
kept in clear), moved to each case the proved contact opens, read on the open case, and
forgotten once the case is closed, or with a request never proved. Before, the form asked
only which right: staff had to call the person to learn what to correct."""

from datetime import timedelta

from entraide.contracts.events import RectificationCompleted
from entraide.privacy.domain.cases import CaseKind
from tests.unit.privacy.test_public_rights import FAMILY, NOW, PHONE, _channel
from tests.unit.privacy.test_public_rights_answer import _flag

REF = "fam-ref-0001"
SAID = "Mon nom s'écrit Dupond avec un d, pas Dupont."


async def _asked(kind: CaseKind = CaseKind.RECTIFICATION, **channel):
    world, public, _, _, _, notifier = _channel(**channel)
    asked = await public.ask(kind, FAMILY, PHONE, address="10.0.0.1", statement=SAID)
    return world, public, asked.request.request_id, notifier.sent[0].context["code"]


async def test_the_statement_follows_the_proved_request_to_its_case_and_is_read_there() -> None:
    world, public, request_id, code = await _asked()
    statements = public.statements
    assert statements.sealed == {f"request-{request_id}": (SAID, f"person-{request_id}")}
    assert SAID not in repr(public.requests.requests[request_id]), "sealed, never in clear"

    proved = await public.prove(request_id, code)
    (case_id,) = proved.request.case_ids
    assert statements.sealed == {f"case-{case_id}": (SAID, REF)}, "the subject's erasure too"
    assert await public.statement(world.cases.cases[case_id]) == SAID


async def test_the_statement_is_forgotten_once_its_case_is_closed() -> None:
    world, public, request_id, code = await _asked()
    (case_id,) = (await public.prove(request_id, code)).request.case_ids
    await world.rights.record_ack(_flag(case_id, NOW))
    await public.deliver()
    assert f"case-{case_id}" in public.statements.sealed, "kept while the record waits"
    done = NOW + timedelta(days=1)
    await world.rights.record_ack(
        RectificationCompleted(
            case_id=case_id, subject_ref=REF, service="intake", completed_at=done
        )
    )
    await public.deliver()
    assert public.statements.sealed == {}
    assert await public.statement(world.cases.cases[case_id]) is None


async def test_the_statement_of_a_request_never_proved_or_naming_nobody_is_forgotten() -> None:
    world, public, _, _ = await _asked()
    world.clock.advance(minutes=16)
    await public.deliver()
    assert public.statements.sealed == {}, "the code expired"

    _, public, request_id, code = await _asked(known={})
    proved = await public.prove(request_id, code)
    assert (proved.found, public.statements.sealed) == (0, {}), "no case opened"

    _, public, request_id, _ = await _asked()
    for _ in range(5):
        await public.prove(request_id, "000000")
    assert public.statements.sealed == {}, "locked"


async def test_another_rights_statement_is_not_kept() -> None:
    world, public, request_id, code = await _asked(CaseKind.ERASURE)
    (case_id,) = (await public.prove(request_id, code)).request.case_ids
    assert public.statements.sealed == {}
    assert await public.statement(world.cases.cases[case_id]) is None
