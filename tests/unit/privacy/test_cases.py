from datetime import UTC, datetime, timedelta

from entraide.contracts.vocab import SubjectKind
from entraide.privacy.domain.cases import (
    Ack,
    CaseKind,
    CaseStatus,
    complete,
    missing,
    next_step,
    open_case,
    overdue,
    sent,
    with_ack,
)

NOW = datetime(2026, 11, 28, 9, tzinfo=UTC)
SERVICES = ("directory", "intake", "matching", "privacy")
RETRY = timedelta(minutes=5)


def erasure(kind=CaseKind.ERASURE):
    case = open_case(
        "case-0001", kind, "fam-ref-0001", SubjectKind.FAMILY, now=NOW, services=SERVICES
    )
    return sent(case, NOW)


def test_a_case_has_a_one_month_legal_deadline():
    case = erasure()
    assert case.deadline == datetime(2026, 12, 28, 9, tzinfo=UTC)
    assert not overdue(case, case.deadline)
    assert overdue(case, case.deadline + timedelta(seconds=1))


def test_a_case_is_complete_only_when_all_four_services_answered():
    case = erasure()
    for service in SERVICES[:3]:
        case = with_ack(case, Ack(service, NOW, {"families": 1}))
        assert not complete(case)
    assert missing(case) == ["privacy"]
    case = with_ack(case, Ack("privacy", NOW))
    assert complete(case)


def test_the_first_acknowledgement_counts_and_strangers_are_ignored():
    case = with_ack(erasure(), Ack("intake", NOW, {"families": 1}))
    again = with_ack(case, Ack("intake", NOW, {"families": 0}))
    assert again.acks["intake"].counts == {"families": 1}
    assert with_ack(case, Ack("billing", NOW)) == case


def test_silent_services_get_the_command_again_then_the_case_is_escalated():
    case = with_ack(erasure(), Ack("intake", NOW))
    assert (
        next_step(case, NOW + timedelta(minutes=1), retry_after=RETRY, escalate_after=3).resend
        is False
    )
    step = next_step(case, NOW + RETRY, retry_after=RETRY, escalate_after=3)
    assert step.resend
    assert not step.escalate
    case = sent(sent(case, NOW + RETRY), NOW + 2 * RETRY)
    step = next_step(case, NOW + 3 * RETRY, retry_after=RETRY, escalate_after=3)
    assert step.resend
    assert step.escalate


def test_a_case_near_its_deadline_is_escalated_at_once():
    case = erasure()
    late = case.deadline - timedelta(days=6)
    assert next_step(case, late, retry_after=RETRY, escalate_after=99).escalate


def test_complete_closed_or_routed_cases_need_nothing():
    done = erasure()
    for service in SERVICES:
        done = with_ack(done, Ack(service, NOW))
    later = NOW + timedelta(days=1)
    assert next_step(done, later, retry_after=RETRY, escalate_after=1).resend is False
    routed = erasure(CaseKind.RECTIFICATION)
    assert routed.services == ("intake",)  # routed to the family's owner
    assert not complete(routed)
    answered = with_ack(routed, Ack("intake", NOW))
    assert complete(answered)
    assert next_step(answered, later, retry_after=RETRY, escalate_after=1).resend is False
    assert CaseStatus.CLOSED.value == "closed"
