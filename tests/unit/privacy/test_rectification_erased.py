"""A rectification flagged on a family's request still waiting at the door, and that
request refused by staff: its identity is made unreadable, so nothing is left to correct.
Intake says so (`RectificationCompleted`, outcome `erased`); the case closes « Close sans
rectification … coordonnées à corriger effacées », and the person is told her data was
erased, not that it was corrected nor that there was nothing to correct. Before, the
completion could only mean « Rectifiée »."""

from datetime import UTC, datetime, timedelta

import pytest

from entraide.kit.notifications import LANGUAGES, Channel
from entraide.kit.notifications.templates import Renderer
from entraide.privacy.domain import requests_from_people as rules
from entraide.privacy.domain.cases import CaseStatus
from entraide.privacy.entrypoints.http import labels
from entraide.privacy.entrypoints.http.views import case_view
from tests.unit.privacy.fakes import Clock, World
from tests.unit.privacy.test_rectification_followed import corrected, flagged, opened, page

NOW = datetime(2026, 11, 28, 9, tzinfo=UTC)


async def test_a_rectification_erased_instead_closes_saying_so() -> None:
    world = World(Clock(NOW))
    case_id = await opened(world)
    assert await world.rights.record_ack(flagged(case_id, own_requests=1))  # a door request
    erased = corrected(case_id, NOW + timedelta(days=3)).model_copy(update={"outcome": "erased"})
    assert await world.rights.record_ack(erased)

    closed = await world.rights.get(case_id)
    assert closed is not None
    assert (closed.status, closed.decision) == (CaseStatus.CLOSED, "erased")
    said = page(case_view(closed, NOW))
    assert "Close sans rectification le 1er décembre 2026" in said
    assert "coordonnées à corriger effacées" in said
    assert "Rectifiée" not in said
    trail = await world.rights.audit.of_case(case_id)  # type: ignore[attr-defined]
    [answered] = [e for e in trail if e["action"] == "case-rectified"]
    assert "coordonnées effacées" in labels.sentence(answered, "rectification")
    assert rules.answer([closed])["outcome"] == "erased"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_person_is_told_her_data_was_erased_in_her_language(language: str) -> None:
    renderer = Renderer()
    context = {"kind": "rectification", "on": datetime(2026, 12, 1).date()}
    erased = renderer.render(
        "droits-reponse", Channel.EMAIL, context | {"outcome": "erased"}, language
    )
    moot = renderer.render("droits-reponse", Channel.EMAIL, context | {"outcome": "moot"}, language)
    done = renderer.render("droits-reponse", Channel.EMAIL, context | {"outcome": "done"}, language)
    sms = renderer.render("droits-reponse", Channel.SMS, context | {"outcome": "erased"}, language)
    assert erased.text not in (moot.text, done.text)
    assert (
        sms.text
        != renderer.render(
            "droits-reponse", Channel.SMS, context | {"outcome": "moot"}, language
        ).text
    )
    assert len(sms.text) <= 160 * 2 if sms.text.isascii() else len(sms.text) <= 70 * 3
    if language == "fr":
        assert "les coordonnées à corriger ont été effacées" in erased.text
        assert "rien à corriger" not in erased.text + sms.text
