"""A rectification case follows the correction itself: its owner (intake for a family)
first flags the record for its staff, and the case waits, saying so on the officer's pages;
it closes « Rectifiée le … par l'équipe qui tient la fiche » once the owner says the record
is corrected (the officer may close it without the correction: refused, or moot). It closed on the flag alone before, so the officer never learnt whether the
correction was made (GDPR art. 12(3): an answer within a month)."""

from datetime import UTC, datetime, timedelta

from entraide.contracts import labels as shared
from entraide.contracts.events import RectificationAcknowledged, RectificationCompleted
from entraide.contracts.vocab import SubjectKind
from entraide.kit.web import templates_for
from entraide.privacy.domain.cases import CaseKind, CaseStatus
from entraide.privacy.entrypoints.http import labels
from entraide.privacy.entrypoints.http.views import case_view
from tests.page_text import text_of
from tests.unit.privacy.fakes import Clock, World

NOW = datetime(2026, 11, 28, 9, tzinfo=UTC)
REF = "fam-ref-0001"


def flagged(case_id: str, **counts: int) -> RectificationAcknowledged:
    return RectificationAcknowledged(
        case_id=case_id, subject_ref=REF, service="intake", completed_at=NOW, counts=counts
    )


def corrected(case_id: str, at: datetime, service: str = "intake") -> RectificationCompleted:
    return RectificationCompleted(
        case_id=case_id, subject_ref=REF, service=service, completed_at=at
    )


async def opened(world: World) -> str:
    case = await world.rights.open(CaseKind.RECTIFICATION, REF, SubjectKind.FAMILY, actor="dpo-1")
    return case.case_id


def render(view: dict, template: str = "dossier.html") -> str:
    context = {"labels": labels, "shared": shared, "request": None, "csrf": "t"}
    context |= {"case": view, "cases": [view], "trail": [], "destroyed": False}
    context |= {"services": ["intake"], "errors": {}, "values": {}}
    return templates_for("entraide.privacy").env.get_template(template).render(context)


def page(view: dict, template: str = "dossier.html") -> str:
    return text_of(render(view, template))


async def test_a_flagged_rectification_waits_for_the_correction_then_closes() -> None:
    clock = Clock(NOW)
    world = World(clock)
    case_id = await opened(world)

    assert await world.rights.record_ack(flagged(case_id, families=1))
    waiting = await world.rights.get(case_id)
    assert waiting is not None
    assert waiting.status == CaseStatus.OPEN, "the flag alone corrects nothing"
    view = case_view(waiting, NOW)
    assert view["awaiting_correction"] is True
    assert "Signalée sur la fiche le 28 novembre 2026, en attente de la correction" in page(view)
    assert "Signalée sur la fiche le 28 novembre 2026" in page(view, "dossiers.html")
    waiting_form = render(view)
    assert "Clore le dossier sans attendre la correction" in waiting_form
    assert 'value="refused"' in waiting_form
    assert 'value="done"' not in waiting_form, "done is the team's word, not the officer's"
    clock.advance(minutes=30)
    assert await world.rights.tick() == 0, "the owner answered: nothing to resend"

    done_at = NOW + timedelta(days=3)
    assert await world.rights.record_ack(corrected(case_id, done_at))

    closed = await world.rights.get(case_id)
    assert closed is not None
    assert (closed.status, closed.decision) == (CaseStatus.CLOSED, "rectified")
    assert closed.rectified is not None
    assert closed.rectified.at == done_at
    said = page(case_view(closed, NOW))
    assert "Rectifiée le 1er décembre 2026 par l'équipe qui tient la fiche" in said
    assert "en attente de la correction" not in said
    assert "sans attendre la correction" not in said
    assert world.audit.actions(case_id)[-3:] == ["ack-received", "case-rectified", "case-closed"]
    assert await world.rights.record_ack(corrected(case_id, done_at)) is False  # closed once


async def test_only_the_owners_word_on_an_open_rectification_counts() -> None:
    world = World(Clock(NOW))
    case_id = await opened(world)
    await world.rights.record_ack(flagged(case_id, families=1))

    assert await world.rights.record_ack(corrected(case_id, NOW, service="directory")) is False
    objection = await world.rights.open(CaseKind.OBJECTION, REF, SubjectKind.FAMILY, actor="d")
    assert await world.rights.record_ack(corrected(objection.case_id, NOW)) is False
    still = await world.rights.get(case_id)
    assert still is not None
    assert still.status == CaseStatus.OPEN


async def test_a_correction_told_before_the_flag_closes_once_the_flag_arrives() -> None:
    world = World(Clock(NOW))
    case_id = await opened(world)

    assert await world.rights.record_ack(corrected(case_id, NOW))
    first = await world.rights.get(case_id)
    assert first is not None
    assert first.status == CaseStatus.OPEN
    await world.rights.record_ack(flagged(case_id, families=1))

    closed = await world.rights.get(case_id)
    assert closed is not None
    assert (closed.status, closed.decision) == (CaseStatus.CLOSED, "rectified")


async def test_a_rectification_with_no_record_to_flag_closes_saying_so() -> None:
    world = World(Clock(NOW))
    case_id = await opened(world)

    await world.rights.record_ack(flagged(case_id))  # intake holds no such family

    closed = await world.rights.get(case_id)
    assert closed is not None
    assert (closed.status, closed.decision) == (CaseStatus.CLOSED, "no-record")
    said = page(case_view(closed, NOW))
    assert "Aucune fiche à rectifier" in said
    assert "Rectifiée" not in said
    assert "Transmise" not in said


def test_a_rectification_closed_on_its_flag_before_keeps_its_words() -> None:
    assert labels.decision("rectification", "done").startswith("Transmise à l'équipe")


async def test_a_closed_rectification_ignores_its_answers_delivered_again() -> None:
    """Kafka delivers at least once and the owner answers a command delivered again: once
    the case is closed « rectifiée », its flag's acknowledgement and its completion coming
    again change nothing, neither the case nor its trail."""
    world = World(Clock(NOW))
    case_id = await opened(world)
    assert await world.rights.record_ack(flagged(case_id, families=1))
    assert await world.rights.record_ack(corrected(case_id, NOW + timedelta(days=3)))
    closed = await world.rights.get(case_id)
    trail = world.audit.actions(case_id)

    assert not await world.rights.record_ack(flagged(case_id, families=1))
    assert not await world.rights.record_ack(corrected(case_id, NOW + timedelta(days=5)))

    assert await world.rights.get(case_id) == closed
    assert world.audit.actions(case_id) == trail
    assert trail[-2:] == ["case-rectified", "case-closed"]
