"""The funnel's active volunteers and pending checks are counted at a month's end: in the
month in progress they have no figure yet. The walk read « Actifs 0 » and « Contrôle
d'honorabilité en attente 0 » on /indicateurs/benevoles-parcours and /rapport while
« Bénévoles par statut » read « Actifs 6 »: the page now says « mois en cours » and why.
And the volunteers' indicators offered an « Urgence » filter whose only value was « Non
renseigné » (a volunteer has no urgency): it is offered for the families' indicators only."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from entraide.contracts.events import VolunteerApplicationChanged
from entraide.observatory.adapters.simulation import event
from entraide.observatory.domain.indicators import BY_KEY, INDICATORS, Dimension
from entraide.observatory.entrypoints.http import charts, pages, report
from entraide.observatory.entrypoints.http.views import Query, as_csv, table_for
from entraide.observatory.usecases.publish import Observatory, Protection
from tests.unit.observatory.test_hidden_note import Captured, rendered
from tests.unit.observatory.year import replayed

NOW = datetime(2026, 12, 15, 12, tzinfo=UTC)


def approved(at: datetime, honorability: str) -> VolunteerApplicationChanged:
    return VolunteerApplicationChanged.model_validate(
        {
            "volunteer_ref": uuid.uuid4().hex, "association_id": "afev", "departement": "44",
            "needs": ["accompagnement-scolaire"], "applied_at": at, "revision": 1,
            "status": "approved", "honorability": honorability, "changed_at": at,
            "approved_at": at,
        }
    )  # fmt: skip


@pytest.fixture(scope="module")
def observatory(tmp_path_factory: pytest.TempPathFactory) -> Observatory:
    events = []
    for i in range(6):  # six approved this month, none counted at a month's end yet
        at = NOW - timedelta(days=10, hours=i)
        events.append(event(approved(at, "valid"), at, uuid.uuid4().hex))
    found = replayed(events, tmp_path_factory.mktemp("in-progress"), Protection())
    found.clock = lambda: NOW
    return found


@pytest.mark.parametrize("month", ["2026-12", "*"])
async def test_the_month_in_progress_shows_no_false_zero(
    observatory: Observatory, month: str
) -> None:
    captured = Captured()
    await pages.indicator(
        None, "benevoles-parcours", None, observatory, captured, annee="2026", mois=month
    )
    total = dict(zip(captured.context["header"], captured.context["rows"][-1], strict=True))
    assert total["Agréées"] == "6"
    assert total["Actifs"] == "mois en cours"
    assert total["Contrôle d'honorabilité en attente"] == "mois en cours"
    text = rendered(captured)
    assert "se comptent à la fin du mois : décembre 2026, en cours, sera compté à sa fin" in text
    assert "Sans barre, mois en cours : Actifs, Contrôle d'honorabilité en attente." in (
        charts.description(table_for(observatory, Query("benevoles-parcours", "2026", month)))  # type: ignore[arg-type]
    )


def test_the_report_and_the_export_show_no_false_zero(observatory: Observatory) -> None:
    funnel = report.report_of(observatory, "autres", "2026-12").sections[-1]
    assert ("Actifs", "mois en cours") in funnel.lines
    assert ("Contrôle d'honorabilité en attente", "mois en cours") in funnel.lines
    table = table_for(observatory, Query("benevoles-parcours", "2026", "2026-12"))
    assert table is not None
    assert "*;Actifs;active;;;;;" in as_csv(table).splitlines()  # empty, not 0


def test_urgency_filters_only_what_has_an_urgency() -> None:
    volunteers = [i for i in INDICATORS if i.key.startswith("benevoles") or i.kind == "volunteer"]
    assert volunteers
    for indicator in volunteers:
        assert Dimension.URGENCY not in indicator.filters, indicator.key
    assert Dimension.URGENCY in BY_KEY["demande-besoin"].filters
    assert Dimension.URGENCY in BY_KEY["issues-fin"].filters
