"""Follow-ups and rupture alerts: due dates from the start, the check-ins and the last
contact (a contact logged in intake counts), stored by the use cases, never computed on
view; what is due today or overdue, in Paris days."""

import uuid
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from entraide.contracts.followups import months_after
from entraide.contracts.vocab import MatchOutcome
from entraide.matching.domain import followups as rules
from entraide.matching.domain import lifecycle, request_view
from entraide.matching.domain.followups import RUPTURE, Followed, paris_day
from entraide.matching.usecases.engine import Engine
from entraide.matching.usecases.followups import FollowUps
from entraide.matching.usecases.pool import SupportPool
from tests.unit.matching.factories import NOW, volunteer
from tests.unit.matching.fakes import (
    FakeFollowUps,
    FakeMatches,
    FakeOutbox,
    FakeRequests,
    FakeSupports,
)
from tests.unit.matching.test_engine_use_cases import submitted

STARTED = datetime(2026, 9, 1, 10, tzinfo=UTC)


def started(**changes: Any) -> Followed:
    base = Followed(
        match_id="m-1",
        request_id="req-1",
        family_ref="fam-1",
        support_key="volunteer:vol-1",
        association_id="parrains-par-mille",
        departement="44",
        state="started",
        accepted_at=STARTED - timedelta(days=2),
        started_at=STARTED,
        last_contact_at=STARTED,
    )
    return replace(base, **changes)


def kinds(items: Any) -> list[str]:
    return [d.kind for d in items]


# --- the rules ------------------------------------------------------------------------


def test_follow_ups_fall_due_one_and_three_months_after_the_start() -> None:
    plan = rules.schedule(started())
    at = {d.kind: d.at for d in plan.items}
    assert at["1-month"] == datetime(2026, 10, 1, 10, tzinfo=UTC)
    assert at["3-month"] == datetime(2026, 12, 1, 11, tzinfo=UTC)  # noon in Paris, winter
    assert at[RUPTURE] == STARTED + timedelta(weeks=6)
    assert kinds(plan.items) == ["1-month", RUPTURE, "3-month"]  # in time order


def test_follow_ups_fall_due_in_calendar_months_as_staff_count_them() -> None:
    """Started on 01/12/2026: followed up on 01/01/2027 and 01/03/2027 (the walk read
    31/12 and 02/03, 30 and 91 days); a day the month lacks becomes its last."""
    on_first = datetime(2026, 12, 1, 9, tzinfo=UTC)
    plan = rules.schedule(started(started_at=on_first, last_contact_at=on_first))
    on = {d.kind: d.on for d in plan.items}
    assert on["1-month"] == date(2027, 1, 1)
    assert on["3-month"] == date(2027, 3, 1)
    assert rules.opens_on("1-month", on_first) == date(2026, 12, 25)
    late_january = datetime(2027, 1, 31, 9, tzinfo=UTC)
    assert paris_day(months_after(late_january, 1)) == date(2027, 2, 28)
    leap = datetime(2024, 1, 31, 9, tzinfo=UTC)
    assert paris_day(months_after(leap, 1)) == date(2024, 2, 29)
    # 23:30 in Paris on 30/11 is 22:30 UTC: the month is counted from the Paris day
    evening = datetime(2026, 11, 30, 22, 30, tzinfo=UTC)
    assert paris_day(lifecycle.follow_up_at("1-month", evening)) == date(2026, 12, 30)
    assert lifecycle.follow_ups_due(on_first, [], datetime(2026, 12, 31, 12, tzinfo=UTC)) == []


def test_an_accepted_match_not_started_yet_has_only_the_rupture_clock() -> None:
    plan = rules.schedule(started(state="accepted", started_at=None, last_contact_at=None))
    assert kinds(plan.items) == [RUPTURE]
    assert plan.items[0].at == STARTED - timedelta(days=2) + timedelta(weeks=6)


def test_a_check_in_done_clears_the_one_month_item() -> None:
    plan = rules.schedule(started(check_ins=("1-month",)))
    assert "1-month" not in kinds(plan.items)
    assert "3-month" in kinds(plan.items)


def test_the_three_month_check_in_clears_a_forgotten_one_month_item_too() -> None:
    assert kinds(rules.schedule(started(check_ins=("3-month",))).items) == [RUPTURE]
    other = rules.schedule(started(check_ins=("other",)))  # a contact, not a follow-up
    assert {"1-month", "3-month"} <= set(kinds(other.items))


def test_a_contact_logged_resets_the_rupture_clock() -> None:
    logged = STARTED + timedelta(days=20)
    plan = rules.schedule(started(), logged)
    [rupture] = [d for d in plan.items if d.kind == RUPTURE]
    assert rupture.at == logged + timedelta(weeks=6)
    assert plan.last_contact_at == logged


def test_an_older_contact_logged_moves_nothing() -> None:
    checked = STARTED + timedelta(days=31)
    plan = rules.schedule(started(last_contact_at=checked), STARTED - timedelta(days=5))
    assert plan.last_contact_at == checked


def test_overdue_items_stay_in_the_queue_until_done() -> None:
    plan = rules.schedule(started())
    one_month = STARTED + timedelta(days=30)
    assert rules.due_by(plan.items, date(2026, 9, 30)) == []
    [due] = rules.due_by(plan.items, one_month.date())
    assert due.kind == "1-month"
    assert rules.days_late(due, one_month.date()) == 0
    later = date(2026, 10, 20)  # past the six weeks too
    overdue = rules.due_by(plan.items, later)
    assert kinds(overdue) == ["1-month", RUPTURE]
    assert rules.days_late(overdue[0], later) == 19
    assert plan.next_on == one_month.date()


def test_due_days_are_paris_days() -> None:
    late_evening = datetime(2026, 9, 1, 22, 30, tzinfo=UTC)  # 00:30 on the 2nd in Paris
    plan = rules.schedule(started(started_at=late_evening, last_contact_at=late_evening))
    [one_month] = [d for d in plan.items if d.kind == "1-month"]
    assert one_month.on == date(2026, 10, 2)
    assert rules.paris_day(datetime(2026, 7, 1, 21, 59, tzinfo=UTC)) == date(2026, 7, 1)
    assert rules.paris_day(datetime(2026, 7, 1, 22, 0, tzinfo=UTC)) == date(2026, 7, 2)


def test_a_dated_follow_up_noted_before_its_window_is_refused_with_the_day_it_opens() -> None:
    # started on 1 September: the one-month follow-up is due on 1 October, open from 24/09
    with pytest.raises(rules.NotOpenError) as early:
        rules.check_open("1-month", STARTED, [], date(2026, 9, 23))
    assert (early.value.kind, early.value.opens, early.value.done) == (
        "1-month",
        date(2026, 9, 24),
        False,
    )
    rules.check_open("1-month", STARTED, [], date(2026, 9, 24))
    rules.check_open("other", STARTED, [], STARTED.date())  # a point: any day
    with pytest.raises(rules.NotOpenError) as twice:
        rules.check_open("1-month", STARTED, ["3-month"], date(2026, 12, 1))
    assert twice.value.done
    with pytest.raises(rules.NotOpenError) as not_started:
        rules.check_open("1-month", None, [], date(2026, 12, 1))
    assert not_started.value.opens is None


# --- the use cases --------------------------------------------------------------------


async def test_a_contact_logged_moves_the_stored_rupture_item() -> None:
    store = FakeFollowUps()
    store.active["m-1"] = started()
    followups = FollowUps(store, clock=lambda: NOW)
    assert await followups.refresh() == 1
    before = {d.kind: d for d in store.stored["m-1"].items}[RUPTURE]
    logged = STARTED + timedelta(days=40)
    assert await followups.contacts_logged({"fam-1": logged, "fam-unknown": logged}) == 1
    after = {d.kind: d for d in store.stored["m-1"].items}[RUPTURE]
    assert after.at == logged + timedelta(weeks=6) > before.at
    # redelivered, or an older contact: nothing moves
    await followups.contacts_logged({"fam-1": STARTED})
    assert {d.kind: d for d in store.stored["m-1"].items}[RUPTURE] == after


async def test_a_check_in_clears_the_stored_item_and_an_ended_match_is_forgotten() -> None:
    store = FakeFollowUps()
    store.active["m-1"] = started()
    followups = FollowUps(store)
    await followups.match_changed("m-1")
    assert "1-month" in kinds(store.stored["m-1"].items)
    checked = STARTED + timedelta(days=33)
    store.active["m-1"] = started(check_ins=("1-month",), last_contact_at=checked)
    await followups.match_changed("m-1")
    assert "1-month" not in kinds(store.stored["m-1"].items)
    assert store.stored["m-1"].last_contact_at == checked
    store.active["m-1"] = started(state="closed")
    await followups.match_changed("m-1")
    assert "m-1" not in store.stored


async def test_the_schedulers_round_stores_only_what_changed_and_drops_ended_matches() -> None:
    store = FakeFollowUps()
    store.active = {"m-1": started(), "m-2": started(match_id="m-2", family_ref="fam-2")}
    followups = FollowUps(store)
    assert await followups.refresh() == 2
    assert await followups.refresh() == 0  # nothing happened: nothing written
    store.logged["fam-2"] = STARTED + timedelta(days=3)  # a contact its handler missed
    del store.active["m-1"]  # ended while the store was away
    assert await followups.refresh() == 1
    assert set(store.stored) == {"m-2"}


async def test_the_schedulers_round_reads_a_chunk_at_a_time_and_misses_none() -> None:
    """Before, the round read every active match and every stored schedule at once (the
    whole country's); now a chunk at a time, and the last chunk's are not forgotten."""
    store = FakeFollowUps()
    for n in range(7):
        store.active[f"m-{n}"] = started(match_id=f"m-{n}", family_ref=f"fam-{n}")
    followups = FollowUps(store)
    assert await followups.refresh(chunk=3) == 7
    assert set(store.stored) == set(store.active)
    for n in (0, 3, 6):  # ended: at a chunk's start, middle and the last
        del store.active[f"m-{n}"]
    assert await followups.refresh(chunk=3) == 0
    assert set(store.stored) == {"m-1", "m-2", "m-4", "m-5"}
    assert store.read == 3


async def test_a_failed_update_leaves_the_coordinators_action_standing() -> None:
    class Broken(FakeFollowUps):
        async def followed(self, **_: Any) -> list[Followed]:
            raise ConnectionError("store away")

    await FollowUps(Broken()).match_changed("m-1")  # logged, not raised


async def placed(followed: Any = None) -> tuple[Engine, FakeMatches, str]:
    """An engine on fakes (its clock at NOW) and the match it proposed to a new family."""
    requests, matches = FakeRequests(), FakeMatches()
    support = volunteer(key="volunteer:vol-near", capacity=1)
    engine = Engine(
        requests,
        matches,
        SupportPool(FakeSupports(support), matches),
        clock=lambda: NOW,
        relay=FakeOutbox(),
        followed=followed,
    )
    event = submitted(request_id=uuid.uuid4().hex)
    view = {"_id": event.request_id, **request_view(event, event_id="e-1")}
    requests.add(view)
    match = await engine.place(event.request_id, view=view, first_seen=True)
    assert match is not None
    return engine, matches, match.match_id


async def test_the_engine_tells_follow_ups_of_each_accept_start_check_in_and_close() -> None:
    told: list[str] = []

    async def followed(match_id: str) -> None:
        told.append(match_id)

    engine, _, match_id = await placed(followed)
    assert told == []
    await engine.accept(match_id)
    await engine.start(match_id)
    engine.clock = lambda: NOW + timedelta(days=30)  # the one-month follow-up is due
    await engine.check_in(match_id, "1-month")
    await engine.close(match_id, MatchOutcome.COMPLETED)
    assert told == [match_id] * 4


async def test_the_engine_refuses_a_dated_follow_up_noted_too_early_whoever_asks() -> None:
    """The rule is the use case's, so the API is refused as the page is: the day the match
    starts (28/11), the one-month follow-up opens only on 21/12, and nothing is noted."""
    engine, matches, match_id = await placed()
    await engine.accept(match_id)
    await engine.start(match_id)
    with pytest.raises(rules.NotOpenError) as early:
        await engine.check_in(match_id, "1-month")
    assert early.value.opens == date(2026, 12, 21)
    assert "checked-in" not in matches.event_types()
    await engine.check_in(match_id, "other")  # a point: any day
    engine.clock = lambda: NOW + timedelta(days=23)
    await engine.check_in(match_id, "1-month")
    with pytest.raises(rules.NotOpenError) as twice:
        await engine.check_in(match_id, "1-month")
    assert twice.value.done
    assert matches.event_types().count("checked-in") == 2
