"""Their association saves a volunteer's correction form, on the fakes: a save that
changes nothing of who they are, how to reach them or where they live rectifies nothing."""

from entraide.contracts.events import RectificationCompleted
from entraide.directory.domain.volunteers.application import Correction
from entraide.directory.usecases import volunteers as volunteer_service
from tests.unit.directory.test_volunteer_use_cases import FORM, PPM, applied

AS_SIGNED_UP = Correction(identity=FORM.identity, code_postal=FORM.code_postal)


async def test_a_correction_that_changes_nothing_leaves_the_rectification_waiting() -> None:
    """Saved as it was (the sign-up's values, SMS off as it was): privacy hears nothing, the
    flag stays and the save says the case waits; the next save that corrects does it."""
    uow, keys, volunteer_id = await applied()
    uow.volunteers.stored[volunteer_id].rectifications = ["case-0011"]

    same = await volunteer_service.correct(uow, keys, PPM, volunteer_id, AS_SIGNED_UP)

    assert not [e for e in uow.events() if isinstance(e, RectificationCompleted)]
    assert uow.volunteers.stored[volunteer_id].rectifications == ["case-0011"]
    assert same is not None
    assert same.waiting == ["case-0011"]

    moved = AS_SIGNED_UP.model_copy(update={"code_postal": "44400"})
    fixed = await volunteer_service.correct(uow, keys, PPM, volunteer_id, moved)

    assert fixed is not None
    assert fixed.waiting == []
    done = [e.case_id for e in uow.events() if isinstance(e, RectificationCompleted)]
    assert done == ["case-0011"]
    assert uow.volunteers.stored[volunteer_id].rectifications == []
