"""A family's erasure deletes the notifier's records of her (what was sent to her, and what
waits to be, its address sealed by the notifier) even if intake stops, or the notifier's
store fails, after her record is deleted: the command comes again (privacy asks until
intake acknowledges) and finds no family, and the records go then. Before, a redelivery
finding no family returned at once, so those records stayed, and a message held for the
morning still went to a parent erased. A parent known only by her request waiting at the
door, never a record: the same."""

import pytest

from entraide.contracts.events import ErasureRequested
from entraide.contracts.vocab import ErasureReason, SubjectKind
from entraide.intake.usecases.rights import IntakeRights
from tests.unit.intake.fakes import FakeAudit, FakeKeys, FakeUnitOfWork
from tests.unit.intake.test_sharing_and_rights import NOW, _family


class StoppedError(Exception):
    """Intake stopping (or the notifier's store failing) at that step."""


class Records:
    """The notifier's records by recipient; `forget` fails the next `failing` calls."""

    def __init__(self, held: dict[str, int]) -> None:
        self.held, self.failing = held, 0

    async def forget(self, recipient_ref: str) -> int:
        if self.failing:
            self.failing -= 1
            raise StoppedError
        return self.held.pop(recipient_ref, 0)


def _erasure(ref: str) -> ErasureRequested:
    return ErasureRequested(
        case_id="case-0001",
        subject_ref=ref,
        subject_kind=SubjectKind.FAMILY,
        deadline=NOW,
        reason=ErasureReason.RIGHTS_REQUEST,
    )


async def test_stopped_after_the_family_goes_the_redelivery_deletes_her_messages() -> None:
    uow, keys, audit = FakeUnitOfWork(), FakeKeys(), FakeAudit()
    family_id = await _family(uow, keys, sharing_ok=False)
    ref = uow.families.stored[family_id].family_ref
    records = Records({ref: 2, "fam-other-0001": 1})  # one sent, one held for the morning
    rights = IntakeRights(uow.families, keys, audit, forget=records.forget)
    records.failing = 1
    with pytest.raises(StoppedError):
        await rights.erase(_erasure(ref))
    assert family_id in keys.destroyed
    assert family_id not in uow.families.stored
    assert records.held[ref] == 2, "not yet: the command comes again"

    assert await rights.erase(_erasure(ref)) == {"notifications": 2}
    assert records.held == {"fam-other-0001": 1}, "hers only"
    assert await rights.erase(_erasure(ref)) == {}, "then nothing more"


async def test_a_parent_only_waiting_at_the_door_loses_her_messages_too() -> None:
    uow, keys, audit = FakeUnitOfWork(), FakeKeys(), FakeAudit()
    records = Records({"fam-door-0001": 1})  # « demande reçue »

    async def forget_own_requests(ref: str) -> int:
        return 1 if ref == "fam-door-0001" else 0

    rights = IntakeRights(
        uow.families, keys, audit, forget=records.forget, forget_own_requests=forget_own_requests
    )
    counts = await rights.erase(_erasure("fam-door-0001"))
    assert counts == {"own_requests": 1, "notifications": 1}
    assert records.held == {}


async def test_a_volunteers_erasure_deletes_no_familys_messages() -> None:
    uow, keys, audit = FakeUnitOfWork(), FakeKeys(), FakeAudit()
    records = Records({"vol-ref-0001": 1})
    rights = IntakeRights(uow.families, keys, audit, forget=records.forget)
    command = _erasure("vol-ref-0001").model_copy(update={"subject_kind": SubjectKind.VOLUNTEER})
    assert await rights.erase(command) == {}
    assert records.held == {"vol-ref-0001": 1}
