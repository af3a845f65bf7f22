"""A rectification the officer closes before its correction (« Refusé », « Sans objet »):
privacy tells the owner it commanded (`RectificationWithdrawn`, through the cases' outbox,
in the write that closes the case), so the record's flag does not keep asking its staff to
correct it; the case stays closed with the officer's decision. Other cases tell nobody."""

from datetime import UTC, datetime

from entraide.contracts.events import RectificationAcknowledged, RectificationWithdrawn
from entraide.contracts.vocab import SubjectKind
from entraide.privacy.domain.cases import CaseKind, CaseStatus
from entraide.privacy.entrypoints.http.views import case_view
from tests.unit.privacy.fakes import Clock, World
from tests.unit.privacy.test_rectification_followed import page

NOW = datetime(2026, 12, 1, 23, 15, tzinfo=UTC)
REF = "fam-ref-0002"


async def test_closing_a_waiting_rectification_withdraws_it_from_its_owner() -> None:
    world = World(Clock(NOW))
    case = await world.rights.open(CaseKind.RECTIFICATION, REF, SubjectKind.FAMILY, actor="dpo-1")
    flagged = RectificationAcknowledged(
        case_id=case.case_id,
        subject_ref=REF,
        service="intake",
        completed_at=NOW,
        counts={"families": 1},
    )
    await world.rights.record_ack(flagged)
    waiting = await world.rights.get(case.case_id)
    assert waiting is not None
    said = page(case_view(waiting, NOW))
    assert "L'équipe qui tient la fiche en est informée : la demande n'y est plus signalée." in said

    assert await world.rights.resolve(case.case_id, actor="dpo-1", decision="refused")
    assert not await world.rights.resolve(case.case_id, actor="dpo-1", decision="refused")

    [withdrawn] = world.cases.outbox
    assert isinstance(withdrawn, RectificationWithdrawn)
    assert (withdrawn.case_id, withdrawn.subject_ref) == (case.case_id, REF)
    assert (withdrawn.subject_kind, withdrawn.decision) == (SubjectKind.FAMILY, "refused")
    closed = await world.rights.get(case.case_id)
    assert closed is not None
    assert (closed.status, closed.decision) == (CaseStatus.CLOSED, "refused")


async def test_a_volunteers_rectification_closed_before_any_answer_is_withdrawn_too() -> None:
    """The owner may flag after the officer closed it: told all the same, it notes the case
    done and flags nothing when the command comes."""
    world = World(Clock(NOW))
    case = await world.rights.open(
        CaseKind.RECTIFICATION, "vol-ref-0001", SubjectKind.VOLUNTEER, actor="dpo-1"
    )
    assert await world.rights.resolve(case.case_id, actor="dpo-1", decision="not-applicable")
    [withdrawn] = world.cases.outbox
    assert isinstance(withdrawn, RectificationWithdrawn)
    assert (withdrawn.subject_kind, withdrawn.decision) == (SubjectKind.VOLUNTEER, "not-applicable")


async def test_closing_an_objection_or_an_unrouted_rectification_tells_nobody() -> None:
    world = World(Clock(NOW))
    objection = await world.rights.open(CaseKind.OBJECTION, REF, SubjectKind.FAMILY, actor="dpo-1")
    # a network without intake: the family's rectification was commanded to nobody
    alone = World(Clock(NOW), services=("directory", "matching", "privacy"))
    unrouted = await alone.rights.open(
        CaseKind.RECTIFICATION, REF, SubjectKind.FAMILY, actor="dpo-1"
    )
    assert await world.rights.resolve(objection.case_id, actor="dpo-1", decision="refused")
    assert await alone.rights.resolve(unrouted.case_id, actor="dpo-1", decision="refused")
    assert world.cases.outbox == alone.cases.outbox == []
