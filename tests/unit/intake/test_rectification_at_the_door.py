"""A parent whose own request still waits at the family door (« Demander de l'aide »)
asks the officer for a rectification: intake holds her data in the waiting request, so it
is flagged there (once, however often the command comes), follows the request onto the
family's record when staff confirm or join it, and privacy hears of the correction when
the record is saved corrected; refused, its data is erased instead, and privacy hears
that. It closed « Aucune fiche à rectifier » before; against the fakes."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from entraide.contracts.events import (
    RectificationCompleted,
    RectificationRequested,
    RectificationWithdrawn,
)
from entraide.contracts.vocab import RequestChannel, SubjectKind
from entraide.intake.domain.self_requests import RefusalReason, SelfRequest
from entraide.intake.usecases import recording
from entraide.intake.usecases.casework import Casework
from entraide.intake.usecases.commands import Parent
from entraide.intake.usecases.rights import IntakeRights
from entraide.intake.usecases.self_request_queue import ConfirmationQueue
from entraide.intake.usecases.self_requests import FamilyDoor
from tests.unit.intake.builders import CLAIRE, details
from tests.unit.intake.fakes import FakeAudit, FakeKeys, FakeUnitOfWork
from tests.unit.intake.test_family_door import FakeQueue, submission

NOW = datetime(2026, 12, 2, 1, 30, tzinfo=UTC)
AWA = details(parent=Parent("Awa", "Traoré", "06 98 76 54 32", "awa.traore@example.org"))


@dataclass
class Waiting:
    """A parent's request waiting at the door, intake's queue, rights and casework."""

    door: FamilyDoor
    queue: ConfirmationQueue
    uow: FakeUnitOfWork
    keys: FakeKeys
    rights: IntakeRights
    work: Casework
    request: SelfRequest


async def waiting() -> Waiting:
    uow, keys, audit, fake = FakeUnitOfWork(), FakeKeys(), FakeAudit(), FakeQueue()
    door = FamilyDoor(fake, uow.families, keys)
    rights = IntakeRights(uow.families, keys, audit, uow=uow, own_requests=fake.of_family)
    rights.queue = fake
    received = await door.submit(submission(), NOW)
    request = fake.stored[received.self_id]
    work = Casework(uow, keys, audit)
    return Waiting(door, ConfirmationQueue(door, uow, audit), uow, keys, rights, work, request)


def command(case_id: str, ref: str) -> RectificationRequested:
    return RectificationRequested(
        case_id=case_id,
        subject_ref=ref,
        subject_kind=SubjectKind.FAMILY,
        deadline=NOW + timedelta(days=30),
    )


def flags(w: Waiting) -> list[str]:
    return w.door.queue.stored[w.request.id].rectifications  # type: ignore[attr-defined]


async def test_a_request_still_waiting_is_flagged_once_however_often_the_command_comes() -> None:
    w = await waiting()
    asked = command("case-door-1", w.request.family_ref)

    assert await w.rights.rectify(asked) == {"own_requests": 1}, "not « aucune fiche »"
    assert await w.rights.rectify(asked) == {"own_requests": 1}  # delivered again
    assert flags(w) == ["case-door-1"]
    [pending] = (await w.queue.pending(CLAIRE)).items
    assert pending.request.rectifications == ["case-door-1"]  # the staff who confirm see it
    assert w.uow.families.stored == {}, "no record made up for it"


async def test_confirming_carries_the_flag_to_the_record_whose_correction_tells_privacy() -> None:
    w = await waiting()
    asked = command("case-door-2", w.request.family_ref)
    await w.rights.rectify(asked)

    went = await w.queue.confirm(CLAIRE, w.request.id, NOW)
    family = w.uow.families.stored[went.family_id]
    assert family.rectifications == ["case-door-2"]
    assert w.uow.events_of(RectificationCompleted) == [], "confirming corrects nothing"
    assert await w.rights.rectify(asked) == {"families": 1}  # delivered again: the record's
    assert w.uow.families.stored[went.family_id].rectifications == ["case-door-2"]

    await w.work.rectify(CLAIRE, went.family_id, went.request_id, AWA)  # her new phone
    [done] = w.uow.events_of(RectificationCompleted)
    assert (done.case_id, done.subject_ref) == ("case-door-2", w.request.family_ref)
    assert w.uow.families.stored[went.family_id].rectifications == []


async def test_a_flag_landing_while_staff_confirm_follows_the_request_to_its_record() -> None:
    w = await waiting()
    fake: FakeQueue = w.door.queue  # type: ignore[assignment]
    decide = fake.decide

    async def flagged_meanwhile(request: SelfRequest) -> bool:
        await w.rights.rectify(command("case-door-3", request.family_ref))
        return await decide(request)

    fake.decide = flagged_meanwhile  # type: ignore[method-assign]
    went = await w.queue.confirm(CLAIRE, w.request.id, NOW)

    assert w.uow.families.stored[went.family_id].rectifications == ["case-door-3"]


async def test_joined_to_a_family_known_the_flag_goes_to_that_record() -> None:
    w = await waiting()
    known = await recording.record_request(
        w.uow, w.keys, AWA, association_id="parrains-par-mille", channel=RequestChannel.STAFF_FORM
    )
    await w.rights.rectify(command("case-door-4", w.request.family_ref))
    request = w.door.queue.stored[w.request.id]  # type: ignore[attr-defined]
    request.possible_duplicates = [known.family_id]

    await w.queue.merge(CLAIRE, w.request.id, known.family_id, NOW)
    late = command("case-door-5", w.request.family_ref)  # asked once it was joined

    assert w.uow.families.stored[known.family_id].rectifications == ["case-door-4"]
    assert await w.rights.rectify(late) == {"families": 1}
    assert w.uow.families.stored[known.family_id].rectifications == ["case-door-4", "case-door-5"]


async def test_withdrawn_by_the_officer_the_waiting_request_is_unflagged_for_good() -> None:
    w = await waiting()
    asked = command("case-door-6", w.request.family_ref)
    await w.rights.rectify(asked)

    await w.rights.withdraw_rectification(
        RectificationWithdrawn(
            case_id="case-door-6",
            subject_ref=w.request.family_ref,
            subject_kind=SubjectKind.FAMILY,
            decision="refused",
            withdrawn_at=NOW,
        )
    )

    assert flags(w) == []
    assert await w.rights.rectify(asked) == {}, "a late command flags nothing again"
    assert flags(w) == []
    went = await w.queue.confirm(CLAIRE, w.request.id, NOW)
    assert w.uow.families.stored[went.family_id].rectifications == []


async def test_refused_while_flagged_privacy_hears_the_data_was_erased_not_corrected() -> None:
    w = await waiting()
    fake: FakeQueue = w.door.queue  # type: ignore[assignment]
    await w.rights.rectify(command("case-door-7", w.request.family_ref))
    other = await w.door.submit(submission(), NOW)  # refused with no case on it

    await w.queue.refuse(CLAIRE, w.request.id, RefusalReason.UNREACHABLE, NOW)
    await w.queue.refuse(CLAIRE, other.self_id, RefusalReason.NOT_A_REQUEST, NOW)

    [(self_id, event)] = fake.outbox  # on the request's own outbox, for its relay
    assert self_id == w.request.id
    done = event.data
    assert isinstance(done, RectificationCompleted)
    assert (done.case_id, done.subject_ref, done.outcome) == (
        "case-door-7",
        w.request.family_ref,
        "erased",
    )
    assert "Traoré" not in event.model_dump_json()  # case and reference only
    assert w.request.family_id in w.keys.destroyed  # erased indeed: nothing left to correct
    assert await w.rights.rectify(command("case-door-7", w.request.family_ref)) == {}
