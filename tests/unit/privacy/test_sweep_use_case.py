"""The retention sweep through privacy's use cases, on in-memory fakes: it chooses the
expired subjects, opens one erasure case each (never two, even with two sweeps at once),
warns those about to expire, and a dry run changes nothing. Then the whole life of a
retention case: the services answer, the keys go, the subject leaves the registry."""

import asyncio
from datetime import UTC, datetime, timedelta

from entraide.contracts.events import ErasureAcknowledged, ErasureRequested
from entraide.contracts.vocab import ErasureReason, SubjectKind
from entraide.privacy.domain.cases import CaseStatus
from entraide.privacy.domain.contacts import Contact
from entraide.privacy.domain.retention import add_years
from entraide.privacy.domain.subjects import Subject
from tests.unit.privacy.fakes import SERVICES, Clock, World

NOW = datetime(2029, 11, 28, 9, tzinfo=UTC)
EDGE = add_years(NOW, -3)  # a last contact at or before it has expired at NOW


def subject(ref: str, last: datetime, kind: SubjectKind = SubjectKind.FAMILY) -> Subject:
    return Subject(ref, kind, last, first_seen_at=last - timedelta(days=400), departement="44")


def population() -> list[Subject]:
    return [
        subject("expired-family-1", EDGE),  # exactly three years: expired
        subject("expired-family-2", EDGE - timedelta(days=90)),
        subject("expired-volunteer", EDGE - timedelta(days=1), SubjectKind.VOLUNTEER),
        subject("warned-month-0001", EDGE + timedelta(days=20)),  # 30 days ahead
        subject("warned-week-00001", EDGE + timedelta(days=3)),  # 30 and 7 days ahead
        subject("kept-family-0001", EDGE + timedelta(days=200)),
    ]


async def test_the_sweep_opens_an_erasure_case_per_expired_subject_and_warns_the_rest() -> None:
    world = World(Clock(NOW))
    world.subjects.add(*population())

    dry = await world.privacy.sweep(dry_run=True, actor="dpo-1")
    assert dry.expired == {"family": 2, "volunteer": 1}
    assert dry.warnings == {"30d": 2, "7d": 1}
    assert (world.cases.cases, world.notices.notices, world.subjects.claims) == ({}, {}, {})

    ran = await world.privacy.sweep(dry_run=False, actor="retention-sweep")

    assert ran.cases_opened == 3
    assert ran.expired_by_departement == {"44": 3}
    cases = list(world.cases.cases.values())
    assert sorted(c.subject_ref for c in cases) == [
        "expired-family-1",
        "expired-family-2",
        "expired-volunteer",
    ]
    assert {(c.reason, c.status) for c in cases} == {(ErasureReason.RETENTION, CaseStatus.OPEN)}
    assert world.commands.sent == cases
    assert sorted((n.subject_ref, n.warning) for n in world.sender.sent) == [
        ("warned-month-0001", "30d"),
        ("warned-week-00001", "30d"),
        ("warned-week-00001", "7d"),
    ]
    assert all(n.sent_at == NOW for n in world.notices.notices.values())
    assert world.audit.actions(None) == ["sweep-dry-run", "sweep-run"]

    again = await world.privacy.sweep(dry_run=False, actor="retention-sweep")
    assert (again.cases_opened, again.scanned, dict(again.warnings)) == (0, 2, {})  # warned only
    assert len(world.cases.cases) == 3


async def test_two_sweeps_at_once_open_one_case_per_subject() -> None:
    world = World(Clock(NOW))
    world.subjects.add(*(subject(f"expired-{n:06d}", EDGE - timedelta(days=n)) for n in range(50)))

    reports = await asyncio.gather(
        world.privacy.sweep(dry_run=False, actor="replica-1"),
        world.privacy.sweep(dry_run=False, actor="replica-2"),
    )

    assert [r.expired["family"] for r in reports] == [50, 50]  # both saw every subject...
    assert sum(r.cases_opened for r in reports) == 50  # ...one case each all the same
    refs = [c.subject_ref for c in world.cases.cases.values()]
    assert sorted(refs) == sorted(set(refs))
    assert len(refs) == 50


async def test_a_new_contact_moves_the_expiry_and_the_warnings_start_again() -> None:
    clock = Clock(NOW)
    world = World(clock)
    world.subjects.add(subject("warned-month-0001", EDGE + timedelta(days=20)))
    await world.privacy.sweep(dry_run=False, actor="retention-sweep")
    assert [n.warning for n in world.sender.sent] == ["30d"]

    await world.subjects.record_contact(
        Contact("warned-month-0001", SubjectKind.FAMILY, NOW - timedelta(days=1))
    )
    clock.now = add_years(NOW, 3) - timedelta(days=10)
    ran = await world.privacy.sweep(dry_run=False, actor="retention-sweep")

    assert ran.cases_opened == 0
    assert [n.warning for n in world.sender.sent] == ["30d", "30d"]


async def test_a_retention_case_runs_to_its_end_and_the_subject_is_gone() -> None:
    world = World(Clock(NOW))
    ref = "expired-family-1"
    world.subjects.add(subject(ref, EDGE))
    await world.keys.get_or_create("intake", "family-1", subject_ref=ref, subject_kind="family")

    await world.privacy.sweep(dry_run=False, actor="retention-sweep")
    (case,) = world.commands.sent
    command = ErasureRequested(
        case_id=case.case_id,
        subject_ref=ref,
        subject_kind=case.subject_kind,
        deadline=case.deadline,
        reason=case.reason,
    )
    for service in SERVICES:  # each service erases its part and acknowledges
        counts = await world.own_part.erase(command) if service == "privacy" else {"rows": 1}
        ack = ErasureAcknowledged(
            case_id=case.case_id, subject_ref=ref, service=service, completed_at=NOW, counts=counts
        )
        await world.rights.record_ack(ack)

    closed = await world.rights.get(case.case_id)
    assert closed is not None
    assert closed.status == CaseStatus.CLOSED
    assert closed.acks["privacy"].counts == {"subjects": 1, "notices": 0, "keys": 1}
    assert world.keys.live(ref) == 0
    assert await world.subjects.get(ref) is None
    assert ref in world.subjects.erased
    stats = await world.privacy.statistics()
    assert [(s["reason"], s["erased"], s["years_followed"]) for s in stats] == [("retention", 1, 1)]
    again = await world.privacy.sweep(dry_run=False, actor="retention-sweep")
    assert (again.scanned, again.cases_opened) == (0, 0)


async def test_the_sweep_runs_once_a_day_whatever_the_restarts() -> None:
    """The scheduled sweep asks whether one ran (any replica) within the day: at a start an
    hour after a sweep it does nothing; a day after, it sweeps. (It waited a whole day after
    every start: restarted more often than that, privacy never swept.)"""
    clock = Clock(NOW)
    world = World(clock)
    world.subjects.add(*population())
    day = timedelta(days=1)
    first = await world.privacy.sweep_when_due(day, actor="retention-sweep")
    assert first is not None
    assert sum(first.expired.values()) == 3
    clock.advance(hours=1)  # the pod restarts: checked at once
    assert await world.privacy.sweep_when_due(day, actor="retention-sweep") is None
    clock.advance(hours=23)
    again = await world.privacy.sweep_when_due(day, actor="retention-sweep")
    assert again is not None
    assert world.audit.actions(None) == ["sweep-run", "sweep-run"]
