"""An indicator whose every figure is hidden (or nothing): the page showed an empty chart
whose axis of days ran from « -0,045 » to « 0,045 », read by a funder as figures. Now the
page says there is no chart and why to read the table; a chart's axis never goes below 0."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from entraide.observatory.adapters.simulation import event
from entraide.observatory.entrypoints.http import charts, pages
from entraide.observatory.usecases.publish import Observatory, Protection
from tests.unit.observatory.svg_text import lines
from tests.unit.observatory.test_charts import view
from tests.unit.observatory.test_hidden_note import Captured, rendered, submitted
from tests.unit.observatory.year import replayed

T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)


@pytest.fixture(scope="module")
def observatory(tmp_path_factory: pytest.TempPathFactory) -> Observatory:
    """Three families: too few for any figure to show."""
    at = [T0 + timedelta(hours=i) for i in range(3)]
    events = [event(submitted("ecoute", t), t, uuid.uuid4().hex) for t in at]
    return replayed(events, tmp_path_factory.mktemp("empty"), Protection(threshold=5))


async def test_a_view_with_every_figure_hidden_shows_no_chart(observatory: Observatory) -> None:
    captured = Captured()
    await pages.indicator(None, "demande-urgence", None, observatory, captured, annee="2026")
    html_text = rendered(captured)
    assert not captured.context["chart"]
    assert not captured.context["phone_chart"]
    assert "Pas de graphique pour demandes par urgence (toute l'année)" in html_text
    assert "Graphique en barres" not in html_text


@pytest.mark.parametrize("layout", [charts.WIDE, charts.NARROW])
def test_an_axis_of_nothing_but_zeros_starts_at_zero(layout: charts.Layout) -> None:
    for key in ("delai-acceptation", "demande-besoin", "couverture"):
        drawn = lines(charts.bars(view(key, [0, 0]), layout))
        ticks = [t for t in drawn if t[:1].isdigit()]
        assert ticks, (key, drawn)
        assert not [t for t in drawn if t[:1] in "-\u2212"], (key, drawn)
