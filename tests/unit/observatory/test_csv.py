"""The CSV export as a French spreadsheet reads it: semicolons, decimal commas, one header
cell per column, hidden figures empty."""

import csv
import io

from entraide.observatory.domain.indicators import BY_KEY
from entraide.observatory.entrypoints.http.views import as_csv
from entraide.observatory.usecases.tables import HIDDEN, Cell, Table


def test_durations_and_ratios_have_decimal_commas_and_hidden_cells_are_empty() -> None:
    durations = Table(
        BY_KEY["delai-proposition"],
        "2026",
        "*",
        None,
        "*",
        ["44", "*"],
        ["high", "*"],
        {("44", "high"): Cell(12, None, 4.25, 1234.5), ("*", "high"): HIDDEN},
    )
    rows = list(csv.reader(io.StringIO(as_csv(durations)), delimiter=";"))
    assert all(len(row) == len(rows[0]) for row in rows)
    named = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    assert named[0] | {"colonne": ""} == {
        "territoire": "44",
        "colonne": "",
        "valeur": "high",
        "nombre": "12",
        "places": "",
        "mediane_jours": "4,25",
        "p90_jours": "1234,50",
        "couverture": "",
    }
    hidden = next(r for r in named if r["territoire"] == "*" and r["valeur"] == "high")
    assert hidden["nombre"] == hidden["mediane_jours"] == ""

    coverage = Table(
        BY_KEY["couverture"], "2026", "*", None, "*", ["59"], ["ecoute"],
        {("59", "ecoute"): Cell(8, 14, ratio=14 / 8)},
    )  # fmt: skip
    [_, row] = list(csv.reader(io.StringIO(as_csv(coverage)), delimiter=";"))
    assert row[3:] == ["8", "14", "", "", "1,75"]
