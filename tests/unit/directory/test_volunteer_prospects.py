"""What the volunteer's space may promise: a family only where matching may propose one.
An approved volunteer whose honorability check expired read « l'association peut vous
proposer une famille » while matching (its `rules.support_unfit`) proposed them none."""

from datetime import UTC, date, datetime, timedelta

from entraide.contracts.events import HonorabilityCheck
from entraide.directory.domain.volunteers.rules import Honorability
from entraide.directory.domain.volunteers.volunteer import Volunteer
from entraide.directory.entrypoints.http.volunteers import space_words
from entraide.matching.domain.rules import Unfit, support_unfit
from tests.unit.directory.test_volunteer_space import space_over
from tests.unit.directory.test_volunteer_use_cases import applied, approved
from tests.unit.directory.test_volunteering import STORED
from tests.unit.matching.factories import volunteer as support

LAST_DAY = date(2026, 11, 30)  # the space's clock: 30/11/2026, 08:00 UTC


async def test_an_approved_volunteer_whose_check_expired_may_be_proposed_no_family() -> None:
    uow, volunteer_id = await approved()
    space, _, _, clock = space_over(uow)
    stored = uow.volunteers.stored[volunteer_id]
    assert (await space.prospects(stored)).proposable  # cleared: valid three years

    stored.honorability_valid_until = LAST_DAY  # valid on its last day, as matching reads it
    assert (await space.prospects(stored)).check is HonorabilityCheck.VALID
    stored.honorability_valid_until = LAST_DAY - timedelta(days=1)
    expired = await space.prospects(stored)
    assert (expired.check, expired.check_lapsed, expired.proposable) == (
        HonorabilityCheck.EXPIRED,
        True,
        False,
    )
    # 00:30 in Paris on the day after: expired there, a little before matching's UTC day
    stored.honorability_valid_until = LAST_DAY
    clock.now = datetime(2026, 11, 30, 23, 30, tzinfo=UTC)
    assert (await space.prospects(stored)).check is HonorabilityCheck.EXPIRED


async def test_a_check_asked_again_or_undated_also_stops_proposals_once_approved() -> None:
    uow, volunteer_id = await approved()
    space, *_ = space_over(uow)
    stored = uow.volunteers.stored[volunteer_id]
    stored.honorability, stored.honorability_valid_until = Honorability.REQUESTED, None
    assert (await space.prospects(stored)).check is HonorabilityCheck.PENDING
    assert not (await space.prospects(stored)).proposable
    stored.honorability = Honorability.CLEARED  # no date: matching reads it as missing
    assert (await space.prospects(stored)).check_lapsed

    uow, _, candidate_id = await applied()  # a check under way is the review's, not news
    space, *_ = space_over(uow)
    candidate = await space.prospects(uow.volunteers.stored[candidate_id])
    assert (candidate.check_lapsed, candidate.proposable) == (False, False)


async def test_paused_with_an_expired_check_is_told_the_check_and_full_is_not_proposable() -> None:
    uow, volunteer_id = await approved()
    space, *_ = space_over(uow)
    paused = await space.pause(volunteer_id)
    paused.honorability_valid_until = LAST_DAY - timedelta(days=1)
    assert (await space.prospects(paused)).check_lapsed
    assert not (await space.prospects(paused)).proposable

    uow, volunteer_id = await approved()
    space, *_ = space_over(uow)
    full = uow.volunteers.stored[volunteer_id]
    full.capacity = 0  # supporting as many families as offered: none comes
    seen = await space.prospects(full)
    assert (seen.at_capacity, seen.check_lapsed, seen.proposable) == (True, False, False)


def test_the_space_reads_a_check_as_matching_does_day_by_day() -> None:
    """`Volunteer.check_on` and matching's rule agree on every day around the expiry."""
    stored = Volunteer.from_state(STORED | {"honorability_valid_until": LAST_DAY.isoformat()})
    for days in range(-2, 3):
        today = LAST_DAY + timedelta(days=days)
        valid = stored.check_on(today) is HonorabilityCheck.VALID
        unfit = support_unfit(support(honorability_valid_until=LAST_DAY), today)
        assert valid == (unfit is not Unfit.HONORABILITY), today


def test_back_from_a_pause_families_are_promised_only_to_one_who_may_be_proposed() -> None:
    promised = space_words.DONE["reprise"]
    assert space_words.done("reprise", proposable=True) == [{"level": "success", "text": promised}]
    [back] = space_words.done("reprise", proposable=False)
    assert back["text"] == space_words.BACK
    assert "famille" not in back["text"]
    assert space_words.done("pause", proposable=False)[0]["text"] == space_words.DONE["pause"]
    assert space_words.done("autre", proposable=True) == []
