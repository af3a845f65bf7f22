"""A rectification command delivered again after its case is done (Kafka delivers at least
once, privacy's watchdog may resend): the record is not flagged again, the command is
acknowledged again, and privacy hears of the correction once; against the fakes."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from entraide.contracts.events import RectificationCompleted, RectificationRequested
from entraide.contracts.vocab import RequestChannel, SubjectKind
from entraide.intake.usecases import recording
from entraide.intake.usecases.casework import Casework
from entraide.intake.usecases.recording import Recorded
from entraide.intake.usecases.rights import IntakeRights
from tests.unit.intake.builders import CLAIRE, casework, details
from tests.unit.intake.fakes import FakeUnitOfWork

NOW = datetime(2026, 12, 1, 22, 50, tzinfo=UTC)


@dataclass
class Asked:
    """A family recorded by staff, intake's casework and rights on the fakes, and a
    rectification command for it (not delivered yet)."""

    work: Casework
    uow: FakeUnitOfWork
    rights: IntakeRights
    recorded: Recorded
    command: RectificationRequested


async def asked(case_id: str) -> Asked:
    work, uow, keys, audit = casework()
    recorded = await recording.record_request(
        uow, keys, details(), association_id="parrains-par-mille", channel=RequestChannel.STAFF_FORM
    )
    command = RectificationRequested(
        case_id=case_id,
        subject_ref=uow.families.stored[recorded.family_id].family_ref,
        subject_kind=SubjectKind.FAMILY,
        deadline=NOW + timedelta(days=30),
    )
    return Asked(work, uow, IntakeRights(uow.families, keys, audit, uow=uow), recorded, command)


async def test_a_command_delivered_again_after_the_correction_flags_nothing() -> None:
    case = await asked("case-0001")
    work, uow, rights, command = case.work, case.uow, case.rights, case.command
    recorded, family_id = case.recorded, case.recorded.family_id
    assert await rights.rectify(command) == {"families": 1}
    await work.rectify(CLAIRE, family_id, recorded.request_id, details(commune="Rezé"))
    assert [d.case_id for d in uow.events_of(RectificationCompleted)] == ["case-0001"]

    # delivered again: acknowledged as before (privacy ignores it), the record stays as is
    assert await rights.rectify(command) == {"families": 1}
    family = uow.families.stored[family_id]
    assert family.rectifications == [], "not « Rectification demandée » again"
    assert family.rectifications_done == ["case-0001"]

    await work.rectify(CLAIRE, family_id, recorded.request_id, details())
    assert [d.case_id for d in uow.events_of(RectificationCompleted)] == ["case-0001"]


async def test_a_case_done_and_still_flagged_is_announced_once_and_unflagged() -> None:
    """However the flag came back (a record written before the cases done were kept), a
    save takes it off and sends no second completion."""
    work, uow, keys, _ = casework()
    recorded = await recording.record_request(
        uow, keys, details(), association_id="parrains-par-mille", channel=RequestChannel.STAFF_FORM
    )
    stored = uow.families.stored[recorded.family_id]
    stored.rectifications, stored.rectifications_done = ["case-0002"], ["case-0002"]

    await work.rectify(CLAIRE, recorded.family_id, recorded.request_id, details())

    assert uow.events_of(RectificationCompleted) == []
    assert uow.families.stored[recorded.family_id].rectifications == []
