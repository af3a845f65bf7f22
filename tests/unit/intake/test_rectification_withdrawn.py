"""A rectification the officer closed without the correction (« Refusé », « Sans objet »):
intake takes the case's flag off the family's record, notes it done, and sends no
completion; a command delivered after it flags nothing again; against the fakes."""

from datetime import UTC, datetime

from entraide.contracts.events import (
    RectificationCompleted,
    RectificationWithdrawn,
)
from entraide.contracts.vocab import SubjectKind
from entraide.intake.usecases.rights import IntakeRights
from tests.unit.intake.builders import CLAIRE, casework, details
from tests.unit.intake.test_rectification_redelivered import asked

NOW = datetime(2026, 12, 1, 23, 20, tzinfo=UTC)


async def test_a_withdrawn_rectification_leaves_the_record_and_is_never_flagged_again() -> None:
    case = await asked("case-0003")
    work, uow, rights, command = case.work, case.uow, case.rights, case.command
    recorded, family_id = case.recorded, case.recorded.family_id
    ref = command.subject_ref
    await rights.rectify(command)
    other = command.model_copy(update={"case_id": "case-0004"})
    await rights.rectify(other)
    withdrawn = RectificationWithdrawn(
        case_id="case-0003",
        subject_ref=ref,
        subject_kind=SubjectKind.FAMILY,
        decision="refused",
        withdrawn_at=NOW,
    )

    await rights.withdraw_rectification(withdrawn)
    await rights.withdraw_rectification(withdrawn)  # delivered twice: the same

    family = uow.families.stored[family_id]
    assert family.rectifications == ["case-0004"], "only the refused case's flag goes"
    assert family.rectifications_done == ["case-0003"]
    assert await rights.rectify(command) == {"families": 1}  # a late command: no flag
    assert uow.families.stored[family_id].rectifications == ["case-0004"]
    await work.rectify(CLAIRE, family_id, recorded.request_id, details(commune="Rezé"))
    assert [d.case_id for d in uow.events_of(RectificationCompleted)] == ["case-0004"]


async def test_a_withdrawal_for_a_volunteer_or_an_unknown_family_changes_nothing() -> None:
    _, uow, keys, audit = casework()
    rights = IntakeRights(uow.families, keys, audit, uow=uow)
    withdrawn = RectificationWithdrawn(
        case_id="case-0005",
        subject_ref="vol-0001",
        subject_kind=SubjectKind.VOLUNTEER,
        decision="not-applicable",
        withdrawn_at=NOW,
    )
    await rights.withdraw_rectification(withdrawn)
    await rights.withdraw_rectification(withdrawn.model_copy(update={"subject_kind": "family"}))
    assert uow.families.stored == {}
