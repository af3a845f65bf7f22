"""Rights cases through privacy's use cases, on in-memory fakes (no Kafka, no store): an
erasure case is opened and commanded, the services' acknowledgements arrive, the
subject's keys are destroyed and the case closes; the watchdog resends and escalates;
access gathers sealed parts; routed cases close by the officer's decision."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from entraide.contracts.events import (
    AccessAcknowledged,
    ContactLogged,
    ErasureAcknowledged,
    ErasureRequested,
    ObjectionAcknowledged,
)
from entraide.contracts.vocab import ContactChannel, ErasureReason, SubjectKind
from entraide.kit.export_seal import seal_for
from entraide.privacy.domain.cases import CaseKind, CaseStatus
from entraide.privacy.domain.contacts import contacts_of
from entraide.privacy.usecases.cases import ExportDestroyedError
from tests.unit.privacy.fakes import SERVICES, Clock, World

NOW = datetime(2026, 11, 28, 9, tzinfo=UTC)
REF = "fam-ref-0001"
FAMILY = SubjectKind.FAMILY


def erasure_ack(case_id: str, service: str, **counts: int) -> ErasureAcknowledged:
    return ErasureAcknowledged(
        case_id=case_id, subject_ref=REF, service=service, completed_at=NOW, counts=counts
    )


async def test_an_erasure_case_closes_once_every_service_answered_then_the_keys_go() -> None:
    world = World(Clock(NOW))
    await world.keys.get_or_create("intake", "family-1", subject_ref=REF, subject_kind="family")
    await world.keys.get_or_create("directory", "v-1", subject_ref=REF, subject_kind="family")

    case = await world.rights.open(CaseKind.ERASURE, REF, FAMILY, actor="dpo-1")

    assert world.commands.sent == [case]
    assert (case.status, case.sends, case.reason) == (
        CaseStatus.OPEN,
        1,
        ErasureReason.RIGHTS_REQUEST,
    )
    assert case.deadline == datetime(2026, 12, 28, 9, tzinfo=UTC)
    for service in SERVICES[:3]:
        assert await world.rights.record_ack(erasure_ack(case.case_id, service, rows=1))
    assert await world.rights.record_ack(erasure_ack(case.case_id, "intake", rows=0)) is False
    assert await world.rights.record_ack(erasure_ack(case.case_id, "billing")) is False
    assert world.keys.live(REF) == 2  # one service still silent: nothing destroyed yet

    assert await world.rights.record_ack(erasure_ack(case.case_id, "privacy", subjects=1))

    closed = await world.rights.get(case.case_id)
    assert closed is not None
    assert closed.status == CaseStatus.CLOSED
    assert closed.closed_at == NOW
    assert closed.acks["intake"].counts == {"rows": 1}  # the first acknowledgement counts
    assert world.keys.live(REF) == 0
    assert world.audit.actions(case.case_id) == ["case-opened"] + ["ack-received"] * 4 + [
        "case-closed"
    ]
    assert world.audit.entries[-1]["keys_destroyed"] == 2
    assert await world.rights.close_if_complete(case.case_id) is False  # closed once


async def test_silent_services_get_the_command_again_then_the_case_is_escalated() -> None:
    clock = Clock(NOW)
    world = World(clock)
    case = await world.rights.open(CaseKind.ERASURE, REF, FAMILY, actor="dpo-1")
    await world.rights.record_ack(erasure_ack(case.case_id, "intake"))

    assert await world.rights.tick() == 0  # too early
    for _ in range(3):
        clock.advance(minutes=5)
        assert await world.rights.tick() == 1

    after = await world.rights.get(case.case_id)
    assert after is not None
    assert (after.status, after.sends) == (CaseStatus.ESCALATED, 4)
    assert [c.case_id for c in world.commands.sent] == [case.case_id] * 4
    actions = world.audit.actions(case.case_id)
    assert actions.count("command-resent") == 3
    assert actions.count("case-escalated") == 1
    escalated = next(e for e in world.audit.entries if e["action"] == "case-escalated")
    assert escalated["missing"] == ["directory", "matching", "privacy"]


async def test_an_access_case_gathers_every_part_sealed_to_the_case() -> None:
    world = World(Clock(NOW))
    case = await world.rights.open(CaseKind.ACCESS, REF, FAMILY, actor="dpo-1")
    assert case.recipient_key is not None
    assert world.commands.sent == [case]

    for service in SERVICES:
        part = {"service": service, "rows": [1, 2]}
        ack = AccessAcknowledged(
            case_id=case.case_id,
            subject_ref=REF,
            service=service,
            completed_at=NOW,
            sealed_export=seal_for(case.recipient_key, case.case_id, part),
        )
        assert await world.rights.record_ack(ack)

    export = await world.privacy.export(case.case_id, actor="dpo-1", form="json")
    assert export is not None
    assert export["missing"] == []
    assert export["services"]["matching"] == {"service": "matching", "rows": [1, 2]}
    closed = await world.rights.get(case.case_id)
    assert closed is not None
    assert closed.status == CaseStatus.CLOSED
    assert world.keys.live(REF) == 1  # an access case keeps the keys (its own among them)
    assert world.audit.actions(case.case_id)[-1] == "export-read"


async def test_an_access_acknowledgement_counts_what_its_part_holds() -> None:
    # the officer's page said « rien à effacer » for every service of an access case: its
    # acknowledgements carried no counts; they are now what each part holds (values never)
    world = World(Clock(NOW))
    case = await world.rights.open(CaseKind.ACCESS, REF, FAMILY, actor="dpo-1")
    assert case.recipient_key is not None
    parts = {
        "intake": {"family": {"family_ref": REF}, "record_reads": [{"at": "x"}] * 3},
        "matching": {"matches": [{"match_id": "m"}], "waitlist": []},
        "directory": {},
    }
    for service, part in parts.items():
        sealed = seal_for(case.recipient_key, case.case_id, part)
        await world.rights.record_ack(
            AccessAcknowledged(
                case_id=case.case_id, subject_ref=REF, service=service, completed_at=NOW,
                sealed_export=sealed,
            )
        )  # fmt: skip
    answered = await world.rights.get(case.case_id)
    assert answered is not None
    assert answered.acks["intake"].counts == {"family": 1, "record_reads": 3}
    assert answered.acks["matching"].counts == {"matches": 1}
    assert answered.acks["directory"].counts == {}
    assert answered.acks["intake"].sealed_export is not None  # the part itself stays sealed

    # an answer recorded before the parts were counted (no counts kept) is counted for the
    # officer's page from its sealed part
    legacy = {s: replace(a, counts={}) for s, a in answered.acks.items()}
    recounted = await world.rights.counted(replace(answered, acks=legacy))
    assert recounted.acks["intake"].counts == {"family": 1, "record_reads": 3}
    assert recounted.acks["directory"].counts == {}


def access_ack(case, service: str, part: dict) -> AccessAcknowledged:
    return AccessAcknowledged(
        case_id=case.case_id, subject_ref=REF, service=service, completed_at=NOW,
        sealed_export=seal_for(case.recipient_key, case.case_id, part),
    )  # fmt: skip


async def test_an_access_export_erased_since_is_said_destroyed_never_a_crash() -> None:
    """The erasure destroys every key of the subject, the access case's own with it: the
    export is `ExportDestroyedError` (naming the erasure), the case still reads and counts,
    and a part arriving late is kept, not counted."""
    world = World(Clock(NOW))
    access = await world.rights.open(CaseKind.ACCESS, REF, FAMILY, actor="personne")
    late = await world.rights.open(CaseKind.ACCESS, REF, FAMILY, actor="personne")
    for service in SERVICES:
        await world.rights.record_ack(access_ack(access, service, {"rows": [1]}))
    await world.rights.record_ack(access_ack(late, "intake", {"rows": [1]}))
    assert await world.rights.destroyed(access) is None
    erasure = await world.rights.open(CaseKind.ERASURE, REF, FAMILY, actor="personne")
    for service in SERVICES:
        await world.rights.record_ack(erasure_ack(erasure.case_id, service))
    assert world.keys.live(REF) == 0

    with pytest.raises(ExportDestroyedError) as gone:
        await world.privacy.export(access.case_id, actor="dpo-1", form="html")
    assert gone.value.destroyed.erasure is not None
    assert gone.value.destroyed.erasure.case_id == erasure.case_id
    assert gone.value.destroyed.asked
    said = await world.rights.destroyed(access)
    assert said is not None
    assert said.erasure is not None
    assert said.erasure.case_id == erasure.case_id
    stored = await world.rights.get(access.case_id)
    assert stored is not None
    legacy = replace(stored, acks={s: replace(a, counts={}) for s, a in stored.acks.items()})
    assert await world.rights.counted(legacy) == legacy  # as kept: nothing to open
    assert (await world.rights.counted(stored)).acks["intake"].counts == {"rows": 1}
    for service in SERVICES:  # the other parts arrive after the erasure
        if service == "intake":
            continue
        assert await world.rights.record_ack(access_ack(late, service, {"rows": [1]}))
    closed_late = await world.rights.get(late.case_id)
    assert closed_late is not None
    assert closed_late.status == CaseStatus.CLOSED
    assert closed_late.acks["privacy"].counts == {}
    assert "export-read" not in world.audit.actions(access.case_id)
    assert await world.rights.destroyed(erasure) is None  # an erasure has no export


async def test_an_export_erased_by_the_retention_sweep_is_not_said_asked_for() -> None:
    world = World(Clock(NOW))
    access = await world.rights.open(CaseKind.ACCESS, REF, FAMILY, actor="dpo-1")
    erasure = await world.rights.open(
        CaseKind.ERASURE, REF, FAMILY, actor="retention-sweep", reason=ErasureReason.RETENTION
    )
    for service in SERVICES:
        await world.rights.record_ack(erasure_ack(erasure.case_id, service))

    said = await world.rights.destroyed(access)
    assert said is not None
    assert said.erasure is not None
    assert said.erasure.reason == ErasureReason.RETENTION
    assert not said.asked


async def test_a_routed_case_goes_to_the_owner_and_closes_on_its_acknowledgement() -> None:
    world = World(Clock(NOW))
    await world.keys.get_or_create("intake", "family-1", subject_ref=REF, subject_kind="family")
    routed = await world.rights.open(CaseKind.OBJECTION, REF, FAMILY, actor="dpo-1")

    assert routed.services == ("intake",)  # a family's data is intake's
    assert world.commands.sent == [routed]
    ack = ObjectionAcknowledged(
        case_id=routed.case_id,
        subject_ref=REF,
        service="intake",
        completed_at=NOW,
        counts={"families": 1, "requests": 1},
    )
    assert await world.rights.record_ack(ack)
    closed = await world.rights.get(routed.case_id)
    assert closed is not None
    assert (closed.status, closed.decision) == (CaseStatus.CLOSED, "done")
    assert world.keys.live(REF) == 1  # an objection destroys nothing
    assert await world.rights.resolve(routed.case_id, actor="dpo-1", decision="done") is False


async def test_a_volunteers_routed_case_goes_to_directory() -> None:
    """Directory owns volunteers: it answers their objection and rectification."""
    world = World(Clock(NOW))
    volunteer = SubjectKind.VOLUNTEER
    routed = await world.rights.open(CaseKind.OBJECTION, REF, volunteer, actor="dpo-1")

    assert routed.services == ("directory",)
    assert world.commands.sent == [routed]


async def test_a_routed_case_with_no_owner_is_closed_by_the_officers_decision_only() -> None:
    world = World(Clock(NOW), services=("intake", "matching", "privacy"))  # no directory
    volunteer = SubjectKind.VOLUNTEER
    routed = await world.rights.open(CaseKind.RECTIFICATION, REF, volunteer, actor="dpo-1")
    erasure = await world.rights.open(CaseKind.ERASURE, REF, FAMILY, actor="dpo-1")

    assert routed.services == ()
    assert world.commands.sent == [erasure]  # nothing commanded: no owner to route it to
    assert await world.rights.resolve(erasure.case_id, actor="dpo-1", decision="done") is False
    assert await world.rights.resolve(routed.case_id, actor="dpo-1", decision="done")
    assert await world.rights.resolve(routed.case_id, actor="dpo-1", decision="refused") is False
    closed = await world.rights.get(routed.case_id)
    assert closed is not None
    assert (closed.status, closed.decision) == (CaseStatus.CLOSED, "done")


async def test_privacys_own_erasure_leaves_a_tombstone_and_anonymous_counts() -> None:
    world = World(Clock(NOW))
    contact = ContactLogged(
        family_ref=REF, channel=ContactChannel.PHONE, contacted_at=NOW - timedelta(days=800)
    )
    for seen in contacts_of(contact):
        assert await world.subjects.record_contact(seen)
    command = ErasureRequested(
        case_id="case-0001",
        subject_ref=REF,
        subject_kind=FAMILY,
        deadline=NOW,
        reason=ErasureReason.RETENTION,
    )

    assert await world.own_part.erase(command) == {"subjects": 1, "notices": 0}
    assert await world.own_part.erase(command) == {"subjects": 0, "notices": 0}  # idempotent

    assert await world.subjects.get(REF) is None
    assert [await world.subjects.record_contact(c) for c in contacts_of(contact)] == [
        False
    ]  # a late event cannot bring the subject back
    assert await world.privacy.statistics() == [
        {
            "year": 2026,
            "kind": "family",
            "departement": None,
            "reason": "retention",
            "years_followed": 0,
            "erased": 1,
        }
    ]
