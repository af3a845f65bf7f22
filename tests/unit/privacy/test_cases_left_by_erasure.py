"""A subject erased (the person's erasure, the retention sweep) while a rectification waits
for its correction, or an objection for its owner's answer: the owner holds nothing of the
person any more, so nothing would ever close the case; the officer's deadline passed and
the person was never answered. Privacy closes them itself once the erasure closes, « sans
suite », and the person is told her data was erased since; once only, with two replicas,
and still after a crash between the erasure's closing and theirs (the watchdog's pass)."""

from datetime import UTC, datetime, timedelta

import pytest

from entraide.contracts.vocab import ErasureReason, SubjectKind
from entraide.kit.notifications import LANGUAGES, Channel
from entraide.kit.notifications.templates import Renderer
from entraide.privacy.domain import requests_from_people as answers
from entraide.privacy.domain.cases import Case, CaseKind, CaseStatus
from entraide.privacy.entrypoints.http import labels
from entraide.privacy.entrypoints.http.views import case_view
from entraide.privacy.usecases.cases import Rights
from tests.unit.privacy.fakes import SERVICES, Clock, FakeCases, World
from tests.unit.privacy.test_case_lifecycle import erasure_ack
from tests.unit.privacy.test_rectification_followed import REF, flagged, opened, page

NOW = datetime(2026, 11, 28, 9, tzinfo=UTC)


async def waiting(world: World) -> tuple[str, str]:
    """A rectification flagged on the family's record (waiting for its correction) and an
    objection its owner has not answered yet."""
    rectification = await opened(world)
    assert await world.rights.record_ack(flagged(rectification, families=1))
    objection = await world.rights.open(CaseKind.OBJECTION, REF, SubjectKind.FAMILY, actor="p")
    return rectification, objection.case_id


async def erased(world: World, reason: ErasureReason = ErasureReason.RIGHTS_REQUEST) -> Case:
    case = (await world.rights.open_many(CaseKind.ERASURE, [(REF, SubjectKind.FAMILY)], actor="d", reason=reason))[0]  # fmt: skip
    for service in SERVICES:
        await world.rights.record_ack(erasure_ack(case.case_id, service))
    return case


@pytest.mark.parametrize("reason", [ErasureReason.RIGHTS_REQUEST, ErasureReason.RETENTION])
async def test_the_cases_waiting_on_the_owner_close_with_the_subjects_erasure(
    reason: ErasureReason,
) -> None:
    world = World(Clock(NOW))
    rectification, objection = await waiting(world)
    other = await world.rights.open(CaseKind.RECTIFICATION, "fam-ref-0002", SubjectKind.FAMILY, actor="d")  # fmt: skip
    world.clock.advance(days=2)

    erasure = await erased(world, reason)

    assert (await world.rights.get(erasure.case_id)).status == CaseStatus.CLOSED  # type: ignore[union-attr]
    for case_id in (rectification, objection):
        case = await world.rights.get(case_id)
        assert case is not None
        assert (case.status, case.decision) == (CaseStatus.CLOSED, "subject-erased")
        assert case.closed_at == NOW + timedelta(days=2)
        assert world.audit.actions(case_id).count("case-resolved") == 1
        said = answers.answer([case])
        assert (said["outcome"], said["on"]) == ("gone", NOW + timedelta(days=2))
    assert (await world.rights.get(other.case_id)).status == CaseStatus.OPEN  # type: ignore[union-attr]
    closed = await world.rights.get(rectification)
    assert "Sans suite, les données de la personne ayant été effacées depuis" in page(
        case_view(closed, NOW)  # type: ignore[arg-type]
    )
    trail = await world.audit.of_case(rectification)
    [resolved] = [e for e in trail if e["action"] == "case-resolved"]
    assert labels.sentence(resolved, "rectification") == (
        "Dossier clos : sans suite, les données de la personne ayant été effacées depuis "
        "(dossier d'effacement clos)."
    )
    assert resolved["actor"] == "privacy"
    assert world.cases.outbox == [], "nothing to withdraw: the owner erased the record"


class CrashingOnce(FakeCases):
    """The store failing once on closing a case other than the erasure: the process dies
    between the erasure's closing and the cases it left."""

    def __init__(self) -> None:
        super().__init__()
        self.failed = False

    async def close(self, case_id: str, **how: object) -> bool:  # type: ignore[override]
        if how.get("decision") == "subject-erased" and not self.failed:
            self.failed = True
            raise ConnectionError("the store went away")
        return await super().close(case_id, **how)  # type: ignore[arg-type]


async def test_after_a_crash_the_watchdog_closes_them_once_even_with_two_replicas() -> None:
    clock = Clock(NOW)
    world = World(clock, cases=CrashingOnce())
    rectification, objection = await waiting(world)
    erasure = await world.rights.open(CaseKind.ERASURE, REF, SubjectKind.FAMILY, actor="d")
    for service in SERVICES[:-1]:
        await world.rights.record_ack(erasure_ack(erasure.case_id, service))
    with pytest.raises(ConnectionError):
        await world.rights.record_ack(erasure_ack(erasure.case_id, SERVICES[-1]))
    assert (await world.rights.get(erasure.case_id)).status == CaseStatus.CLOSED  # type: ignore[union-attr]
    left = [await world.rights.get(c) for c in (rectification, objection)]
    assert [c.status for c in left if c] == [CaseStatus.OPEN, CaseStatus.OPEN], "the crash"

    replica = Rights(
        world.cases, world.commands, world.keys, world.audit, services=SERVICES,
        retry_after=timedelta(minutes=5), escalate_after=3, clock=clock,
    )  # fmt: skip
    clock.advance(minutes=10)
    sent = len(world.commands.sent)
    await world.rights.tick()
    await replica.tick()
    await world.rights.tick()

    for case_id in (rectification, objection):
        case = await world.rights.get(case_id)
        assert (case.status, case.decision) == (CaseStatus.CLOSED, "subject-erased")  # type: ignore[union-attr]
        assert world.audit.actions(case_id).count("case-resolved") == 1
    assert world.commands.sent[sent:] == [], "the objection closed, not resent"


async def test_before_the_erasure_closes_nothing_is_closed() -> None:
    world = World(Clock(NOW))
    rectification, objection = await waiting(world)
    erasure = await world.rights.open(CaseKind.ERASURE, REF, SubjectKind.FAMILY, actor="d")
    await world.rights.record_ack(erasure_ack(erasure.case_id, "intake"))
    world.clock.advance(minutes=10)
    await world.rights.tick()
    for case_id in (rectification, objection):
        assert (await world.rights.get(case_id)).status != CaseStatus.CLOSED  # type: ignore[union-attr]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", ["rectification", "objection"])
def test_the_person_is_told_her_data_was_erased_since_in_her_language(
    language: str, kind: str
) -> None:
    renderer = Renderer()
    context = {"kind": kind, "on": datetime(2026, 12, 1).date()}

    def said(outcome: str, channel: Channel = Channel.EMAIL) -> str:
        return renderer.render("droits-reponse", channel, context | {"outcome": outcome}, language).text  # fmt: skip

    others = {said(o) for o in ("done", "erased", "moot", "refused")}
    texts = {said(o, Channel.SMS) for o in ("done", "erased", "moot", "refused")}
    assert said("gone") not in others
    sms = said("gone", Channel.SMS)
    assert sms not in texts
    assert len(sms) <= 160 * 2 if sms.isascii() else len(sms) <= 70 * 3
    if language == "fr":
        assert "vos données ont été effacées entre-temps" in said("gone") + sms
        assert "demande d'aide" not in said("gone"), "not the door's refusal"
