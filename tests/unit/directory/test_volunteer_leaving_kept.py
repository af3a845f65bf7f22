"""A volunteer who leaves from their space has their wish to be erased kept before they
are marked left: once left they can no longer sign in to ask again, so directory stopping
(or its store failing) between the status written and privacy asked must not lose it.
Before, the status was written first and the wish only as privacy was asked: stopped in
between, the volunteer was left, never erased, and nothing would ever ask for it."""

import pytest

from entraide.directory.domain.volunteers.rules import Status, TransitionError
from tests.unit.directory.test_volunteer_space import space_over
from tests.unit.directory.test_volunteer_use_cases import approved


async def test_stopped_after_the_status_the_wish_is_kept_for_the_pass_to_ask() -> None:
    uow, volunteer_id = await approved()
    space, *_ = space_over(uow)
    leaving = space.leaving
    leaving.stopping = True  # type: ignore[union-attr]
    with pytest.raises(ConnectionError):
        await space.leave(volunteer_id)
    stored = await uow.volunteers.get(volunteer_id)
    assert stored.status is Status.LEFT
    assert leaving.wishes == {stored.volunteer_ref: False}  # type: ignore[union-attr]


async def test_asked_at_once_when_nothing_stops() -> None:
    uow, volunteer_id = await approved()
    space, *_ = space_over(uow)
    left = await space.leave(volunteer_id)
    assert space.leaving.wishes == {left.volunteer_ref: True}  # type: ignore[union-attr]


async def test_a_second_click_keeps_nothing_more() -> None:
    uow, volunteer_id = await approved()
    space, *_ = space_over(uow)
    left = await space.leave(volunteer_id)
    with pytest.raises(TransitionError):
        await space.leave(volunteer_id)
    assert space.leaving.erased == [left.volunteer_ref]  # type: ignore[union-attr]
