"""A case stored before its « case-opened » entry (privacy stopped between the two writes)
is journalled as opened by the watchdog's first resend, as its opener's, once: the
officer's cases, an erasure the person asked through directory (`personne`), the
retention sweep's. Before, only the public channel's retry found such a case again: the
officer's trail never said the others opened."""

from datetime import UTC, datetime, timedelta

import pytest

from entraide.contracts.vocab import SubjectKind
from entraide.privacy.domain.cases import CaseKind
from entraide.privacy.domain.subjects import Subject
from tests.unit.privacy.fakes import Clock, World
from tests.unit.privacy.test_public_rights_forgotten import DiedError
from tests.unit.privacy.test_public_rights_stopped import _stop_once

NOW = datetime(2026, 11, 28, 9, tzinfo=UTC)
REF = "vol-ref-0001"
KEYS = {"_id", "at", "case_id", "action", "actor", "kind", "reason"}


def _world(last_contact: datetime = NOW) -> World:
    world = World(Clock(NOW))
    world.subjects.add(Subject(REF, SubjectKind.VOLUNTEER, last_contact))
    return world


async def _opened_by(world: World, actor: str, kind: CaseKind) -> None:
    if actor == "retention-sweep":  # the sweep's batch, its subject claimed
        await world.privacy.sweep(dry_run=False, actor="scheduler")
    else:
        await world.privacy.open_case(kind, REF, SubjectKind.VOLUNTEER, actor=actor)


OPENERS = [
    ("dpo-1", CaseKind.ERASURE, "rights-request"),
    ("dpo-1", CaseKind.ACCESS, "rights-request"),
    ("dpo-1", CaseKind.RECTIFICATION, "rights-request"),  # routed to directory
    ("personne", CaseKind.ERASURE, "rights-request"),  # asked from her space in directory
    ("retention-sweep", CaseKind.ERASURE, "retention"),
]


@pytest.mark.parametrize(("actor", "kind", "reason"), OPENERS)
async def test_a_case_stored_before_its_entry_is_journalled_as_opened_once(
    actor, kind, reason
) -> None:
    world = _world(NOW - timedelta(days=4000) if reason == "retention" else NOW)
    _stop_once(world.audit, "record_many")
    with pytest.raises(DiedError):
        await _opened_by(world, actor, kind)
    (case,) = world.cases.cases.values()
    assert "case-opened" not in world.audit.actions(case.case_id)
    assert world.commands.sent == [], "its command waits for the watchdog"

    for _ in range(3):  # the first resend writes it, the next ones find it
        world.clock.advance(minutes=6)
        await world.rights.tick()
    (opened,) = [e for e in world.audit.entries if e["action"] == "case-opened"]
    assert opened.keys() == KEYS - {"_id"}
    assert (opened["case_id"], opened["at"]) == (case.case_id, case.opened_at)
    assert (opened["actor"], opened["kind"], opened["reason"]) == (actor, kind.value, reason)
    assert world.audit.actions(case.case_id)[0] == "case-opened"
    assert [c.case_id for c in world.commands.sent][:1] == [case.case_id]


async def test_a_case_journalled_as_it_opened_is_not_journalled_again_by_the_watchdog() -> None:
    world = _world()
    case = await world.rights.open(CaseKind.ERASURE, REF, SubjectKind.VOLUNTEER, actor="dpo-1")
    world.clock.advance(minutes=6)
    assert await world.rights.tick() == 1
    assert world.audit.actions(case.case_id) == ["case-opened", "command-resent"]
