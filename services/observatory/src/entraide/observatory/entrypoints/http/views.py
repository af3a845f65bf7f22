"""A view's parameters as the pages and exports take them, and its rendering as rows:
the same rows for the HTML table, the CSV export and the monthly report."""

import csv
import io
from dataclasses import dataclass

from fastapi import HTTPException

from entraide.kit import formats
from entraide.observatory.domain.indicators import BY_KEY, Dimension, Measure
from entraide.observatory.domain.protection import TOTAL
from entraide.observatory.entrypoints.http import labels
from entraide.observatory.usecases.publish import Observatory
from entraide.observatory.usecases.tables import Cell, Table


@dataclass(frozen=True)
class Query:
    key: str
    year: str | None = None
    month: str = TOTAL
    by: str = ""
    value: str = TOTAL


def table_for(observatory: Observatory, query: Query) -> Table | None:
    """The table a query asks for (404 for an unknown indicator); None before any data."""
    indicator = BY_KEY.get(query.key)
    if indicator is None:
        raise HTTPException(404, "Indicateur inconnu")
    years = observatory.years()
    year = query.year if query.year in years else (years[0] if years else None)
    if year is None:
        return None
    by = Dimension(query.by) if query.by in {d.value for d in indicator.filters} else None
    return observatory.table(indicator, year, query.month or TOTAL, by, query.value or TOTAL)


def shown(table: Table, cell: Cell) -> str:
    """A cell as a page or a CSV shows it (French numbers; « masqué » when hidden; « mois
    en cours » for a figure counted once the month is over, never a false 0)."""
    if cell.later:
        return labels.NOT_YET
    if cell.hidden:
        return "masqué"
    if table.measure is Measure.PLACES:
        return formats.number(cell.places)
    if table.measure is Measure.DURATION:
        # the median, then the 90th percentile in words (« p90 » meant nothing to readers)
        return f"{formats.decimal(cell.median)} (9 sur 10 : {formats.decimal(cell.p90)} au plus)"
    if table.measure is Measure.RATIO:
        return formats.decimal(cell.ratio, 2)
    return formats.number(cell.count)


def header(table: Table) -> list[str]:
    return ["Territoire"] + [labels.value(table.indicator.column, c) for c in table.columns]


def rows(table: Table) -> list[list[str]]:
    return [
        [labels.territory(r)] + [shown(table, table.cell(r, c)) for c in table.columns]
        for r in table.rows
    ]


PHONE_PX = 358  # a 390 px screen less the page's margins
CHARACTER_PX = 8  # the table's 14 px text, on average
CELL_PX = 32  # a cell's padding, left and right


def wide(lines: list[list[str]]) -> bool:
    """Whether a table (header, then rows) is wider than a phone's screen, by its longest
    text per column: the page then says it scrolls (a hint where it fits would mislead)."""
    columns = zip(*lines, strict=True)
    width = sum(max(len(text) for text in column) * CHARACTER_PX + CELL_PX for column in columns)
    return width > PHONE_PX


def csv_number(value: float | int | None) -> str:
    """A figure as a French spreadsheet reads it: `12,50` (a decimal comma, no thousands
    separator), `7`; empty where there is none or it is hidden."""
    if value is None:
        return ""
    if isinstance(value, int):
        return str(value)
    return "".join(formats.decimal(value, 2).split())  # no (narrow) spaces between thousands


def as_csv(table: Table) -> str:
    """The view as CSV (semicolons and decimal commas, as French spreadsheets expect); raw
    numbers, empty where hidden; durations as median and p90 columns."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(
        [
            "territoire",
            "colonne",
            "valeur",
            "nombre",
            "places",
            "mediane_jours",
            "p90_jours",
            "couverture",
        ]
    )
    for r in table.rows:
        for c in table.columns:
            cell = table.cell(r, c)
            values = [cell.count, cell.places, cell.median, cell.p90, cell.ratio]
            if table.measure is not Measure.DURATION:
                values[2:4] = [None, None]
            if table.measure not in (Measure.PLACES, Measure.RATIO):
                values[1] = None
            writer.writerow(
                [r, labels.value(table.indicator.column, c), c] + [csv_number(v) for v in values]
            )
    return out.getvalue()
