"""The volunteers' funnel page shows every stage its title names, and says what its small
numbers protect: a month with applications received and approved only showed « Candidatures
reçues | Agréées | Actifs » under a title promising refusals and pending checks (a stage with
no fact had no column), and its note said « aucun ne décrit moins de 5 familles » of a table
of volunteers."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from entraide.contracts.events import VolunteerApplicationChanged
from entraide.observatory.adapters.simulation import event
from entraide.observatory.domain.indicators import BY_KEY
from entraide.observatory.entrypoints.http import charts, labels, pages
from entraide.observatory.usecases.publish import Observatory, Protection
from entraide.observatory.usecases.tables import HIDDEN, Cell, Table
from tests.unit.observatory.test_hidden_note import Captured, rendered
from tests.unit.observatory.year import replayed

T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)


def applied(at: datetime, approved: bool) -> VolunteerApplicationChanged:
    return VolunteerApplicationChanged.model_validate(
        {
            "volunteer_ref": uuid.uuid4().hex, "association_id": "afev", "departement": "44",
            "needs": ["accompagnement-scolaire"], "applied_at": at, "revision": 1,
            "status": "approved" if approved else "applied", "honorability": "valid" if approved else "none",
            "changed_at": at, "approved_at": at if approved else None,
        }
    )  # fmt: skip


@pytest.fixture(scope="module")
def observatory(tmp_path_factory: pytest.TempPathFactory) -> Observatory:
    events = []
    for i in range(12):  # 12 received, 6 approved at once; none refused, no check pending
        at = T0 + timedelta(hours=i)
        events.append(event(applied(at, approved=i % 2 == 0), at, uuid.uuid4().hex))
    until = datetime(2026, 5, 1, tzinfo=UTC)  # March's and April's ends are counted
    return replayed(events, tmp_path_factory.mktemp("funnel"), Protection(), until=until)


async def test_every_stage_of_the_title_has_its_column(observatory: Observatory) -> None:
    captured = Captured()
    await pages.indicator(None, "benevoles-parcours", None, observatory, captured, annee="2026")
    header = captured.context["header"]
    assert header == [
        "Territoire",
        "Candidatures reçues",
        "Agréées",
        "Refusées",
        "Actifs",
        "Contrôle d'honorabilité en attente",
    ]
    total = captured.context["rows"][-1]
    assert total[3] == "0"  # none refused: it describes nobody
    assert total[5] == "0"  # no check pending


async def test_the_note_names_volunteers(observatory: Observatory) -> None:
    captured = Captured()
    await pages.indicator(None, "benevoles-parcours", None, observatory, captured, annee="2026")
    text = rendered(captured)
    assert "aucun ne décrit moins de 5 bénévoles" in text
    assert "5 familles" not in text


def test_families_stay_families_and_the_report_names_both() -> None:
    assert "moins de 5 familles ;" in labels.hidden_note(5)
    assert "moins de 5 familles ou bénévoles" in labels.hidden_note(5, labels.EVERYONE)


def test_the_chart_names_the_stages_it_draws_no_bar_for() -> None:
    indicator = BY_KEY["benevoles-parcours"]
    cells = {("*", "received"): Cell(12), ("*", "approved"): HIDDEN, ("*", "declined"): HIDDEN}
    table = Table(indicator, "2026", "*", None, "*", ["*"], list(indicator.stages), cells)
    text = charts.description(table)
    assert "Sans barre, chiffre masqué : Agréées, Refusées." in text
