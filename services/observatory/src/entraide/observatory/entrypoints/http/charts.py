"""Charts drawn on the server (matplotlib, SVG): no JavaScript; each one sits beside the
table that carries the same figures, which is what assistive technologies read."""

import base64
import io
from collections import OrderedDict

import matplotlib

matplotlib.use("Agg")  # no display: files only

from matplotlib import pyplot as plt

from entraide.observatory.domain.indicators import Measure
from entraide.observatory.domain.protection import TOTAL
from entraide.observatory.entrypoints.http import labels
from entraide.observatory.usecases.tables import Table

plt.rcParams["svg.fonttype"] = "none"  # text stays text (smaller, searchable)
plt.rcParams["svg.hashsalt"] = "entraide"  # the same figures give the same file


def bars(table: Table, fmt: str = "svg") -> bytes:
    """The whole-network row as horizontal bars, one per column value (hidden ones left out)."""
    row = TOTAL if TOTAL in table.rows else (table.rows[0] if table.rows else TOTAL)
    names, values = [], []
    for column in table.columns:
        if column == TOTAL:
            continue
        cell = table.cell(row, column)
        if cell.hidden:
            continue
        figure = {
            Measure.PLACES: cell.places,
            Measure.DURATION: cell.median,
            Measure.RATIO: cell.ratio,
            Measure.COUNT: cell.count,
        }[table.measure]
        names.append(labels.value(table.indicator.column, column))
        values.append(figure or 0)
    fig, ax = plt.subplots(figsize=(6.4, 0.45 * max(len(names), 2) + 0.8), dpi=100)
    ax.barh(names[::-1], values[::-1], color="#000091")
    unit = {Measure.DURATION: "jours (médiane)", Measure.RATIO: "places par demande"}.get(
        table.measure, "nombre"
    )
    ax.set_xlabel(unit)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format=fmt)
    plt.close(fig)
    return out.getvalue()


CACHED = 512  # views whose chart is kept (a few KB each)
_drawn: OrderedDict[tuple[object, ...], str] = OrderedDict()


def data_uri(table: Table, version: object = None) -> str:
    """The chart as a data URI, drawn once per view and refresh (`version`): matplotlib
    takes tens of milliseconds, a page is asked for again and again between refreshes."""
    key = (table.indicator.key, table.year, table.month, table.by, table.value, version)
    if key not in _drawn:
        _drawn[key] = "data:image/svg+xml;base64," + base64.b64encode(bars(table)).decode()
        while len(_drawn) > CACHED:
            _drawn.popitem(last=False)
    _drawn.move_to_end(key)
    return _drawn[key]


def description(table: Table) -> str:
    """The chart's text alternative (the table beside it has every figure)."""
    return (
        f"Graphique en barres : {labels.TITLES[table.indicator.key].lower()}, "
        f"{labels.month(table.month)}, ensemble des territoires. Les chiffres sont dans le tableau."
    )
