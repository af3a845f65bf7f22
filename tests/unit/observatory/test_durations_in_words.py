"""A duration's cell (indicator page, monthly report and its PDF) read « 4,2 (p90 30,0) »:
« p90 » explained nowhere. The 90th percentile is now said in words."""

from entraide.observatory.domain.indicators import BY_KEY
from entraide.observatory.entrypoints.http.views import shown
from entraide.observatory.usecases.tables import Cell, Table


def test_a_duration_says_nine_in_ten_in_words_not_p90() -> None:
    table = Table(
        BY_KEY["delai-proposition"], "2026", "*", None, "*", ["44"], ["high"],
        {("44", "high"): Cell(12, None, 4.25, 30.0)},
    )  # fmt: skip
    said = shown(table, table.cell("44", "high"))
    assert said == "4,2 (9 sur 10 : 30,0 au plus)"
    assert "p90" not in said
