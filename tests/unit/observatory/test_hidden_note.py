"""What « masqué » means, said the same way on an indicator's page and in the monthly report
(HTML and PDF): the indicator pages said « moins de 5 familles ou masqué », a word defined
by itself. The pages are rendered from what their routes hand the templates, over a small
month of requests (a cell of fewer than 5 families among them)."""

import io
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pypdfium2
import pytest

from entraide.contracts import labels as shared
from entraide.contracts.events import RequestSubmitted
from entraide.kit.web import templates_for
from entraide.observatory.adapters.simulation import event
from entraide.observatory.entrypoints.http import labels, pages, report
from entraide.observatory.usecases.publish import Observatory, Protection
from tests.page_text import text_of
from tests.unit.observatory.year import replayed

T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)
WHY = "masquée pour qu'on ne puisse pas la retrouver par différence"


def submitted(need: str, at: datetime) -> RequestSubmitted:
    family = uuid.uuid4().hex
    return RequestSubmitted(
        request_id=uuid.uuid4().hex, family_ref=family, revision=1, departement="44",
        postal_code="44000", children_age_bands=["3-5"], needs=[need], urgency="high",
        association_id="afev", channel="staff-form", consent_to_matching=True, submitted_at=at,
    )  # fmt: skip


@pytest.fixture(scope="module")
def observatory(tmp_path_factory: pytest.TempPathFactory) -> Observatory:
    needs = ["parrainage-de-proximite"] * 36 + ["accompagnement-scolaire"] * 3  # 3: too few to show
    events = []
    for i, need in enumerate(needs):
        at = T0 + timedelta(hours=i)
        events.append(event(submitted(need, at), at, uuid.uuid4().hex))
    return replayed(events, tmp_path_factory.mktemp("archive"), Protection(threshold=5))


class Captured:
    """The `Pages` a route is handed: keeps what it would render."""

    def page(self, request: Any, name: str, principal: Any = None, **context: Any) -> Any:
        self.name, self.context = name, context
        return context


def rendered(captured: Captured) -> str:
    templates = templates_for("entraide.observatory")
    context = {"labels": labels, "shared": shared, "request": None} | captured.context
    return text_of(templates.env.get_template(captured.name).render(context))


async def test_the_indicator_page_says_why_a_cell_is_hidden(observatory: Observatory) -> None:
    captured = Captured()
    await pages.indicator(
        None, "demande-besoin", None, observatory, captured, annee="2026", mois="*"
    )
    assert any("masqué" in r[1:] for r in captured.context["rows"])  # 3 families: hidden
    text = rendered(captured)
    assert "ou masqué." not in text
    assert "moins de 5 familles ou masqué" not in text
    assert "aucun ne décrit moins de 5 familles" in text
    assert WHY in text


async def test_the_report_and_its_pdf_say_it_the_same_way(observatory: Observatory) -> None:
    captured = Captured()
    await report.report_form(None, None, observatory, captured, territoire="44", mois="2026-03")
    note = labels.hidden_note(observatory.protection.threshold, labels.EVERYONE)
    assert note in rendered(captured)
    answer = await report.report_as_pdf(None, observatory, "44", "2026-03")
    document = pypdfium2.PdfDocument(io.BytesIO(answer.body))
    text = " ".join(document[0].get_textpage().get_text_range().split())
    assert WHY in text.replace("\r", " ").replace("- ", "")


def test_the_note_follows_the_threshold() -> None:
    assert "moins de 10 familles" in labels.hidden_note(10)
