"""Charts drawn on the server (matplotlib, SVG): no JavaScript; each one sits beside the
table that carries the same figures, which is what assistive technologies read.

Each chart comes in two layouts: wide for a computer's screen, narrow for a phone. An SVG
is scaled to its box: shown 360 px wide (on a 390 px screen), the wide chart's text is
under 8 px high, the narrow one's about 14 px."""

import base64
import io
import textwrap
from collections import OrderedDict
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")  # no display: files only

from matplotlib import pyplot as plt
from matplotlib.axes import Axes
from matplotlib.ticker import FuncFormatter, MaxNLocator

from entraide.kit import formats
from entraide.observatory.domain.indicators import Measure
from entraide.observatory.domain.protection import TOTAL
from entraide.observatory.entrypoints.http import labels
from entraide.observatory.usecases.tables import Table

plt.rcParams["svg.fonttype"] = "none"  # text stays text (smaller, searchable)
plt.rcParams["svg.hashsalt"] = "entraide"  # the same figures give the same file


@dataclass(frozen=True)
class Layout:
    """A chart's width (inches), its text (points), the characters on a line of a value's
    name and the most numbers on the axis."""

    width: float
    font: float
    wrap: int
    ticks: int
    above: bool = False  # each name on its own line above its bar


BLUE = "#000091"
BAR = 0.16  # inches: a bar's thickness under its name
WIDE = Layout(width=6.4, font=10, wrap=34, ticks=8)
# 10 pt over 3.6 in shown 360 px wide: 10 * 360 / (3.6 * 72) = 13.9 px
NARROW = Layout(width=3.6, font=10, wrap=42, ticks=4, above=True)


def _figures(table: Table) -> tuple[list[str], list[float]]:
    """The whole-network row: each column value's name and figure (hidden ones left out)."""
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
    return names, values


def bars(table: Table, layout: Layout = WIDE, fmt: str = "svg") -> bytes:
    """The whole-network row as horizontal bars, one per column value, the first on top."""
    names, values = _figures(table)
    wrapped = [textwrap.fill(n, layout.wrap, break_long_words=False) for n in names]
    lines = max((w.count("\n") + 1 for w in wrapped), default=1)
    slot = lines * layout.font * 1.3 / 72 + 0.3  # inches: a bar and its name
    height = slot * max(len(names), 2) + 0.8 * layout.font / 10
    with plt.rc_context({"font.size": layout.font}):
        fig, ax = plt.subplots(figsize=(layout.width, height), dpi=100)
        if layout.above:
            _names_above(ax, wrapped, values, BAR / slot)
        else:
            ax.barh(range(len(values)), values, height=0.7, color=BLUE)
            ax.set_yticks(range(len(values)), wrapped)
            ax.set_ylim(max(len(values), 1) - 0.5, -0.5)  # an empty chart keeps its axis
        unit = {Measure.DURATION: "jours (médiane)", Measure.RATIO: "places par demande"}
        ax.set_xlabel(unit.get(table.measure, "nombre"))
        # no figure is negative: the axis starts at 0 (bars of nothing drew -0,045 to 0,045)
        ax.set_xlim(0, None if any(values) else 1)
        ax.xaxis.set_major_locator(MaxNLocator(layout.ticks, integer=_whole(table.measure)))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: formats.number(x)))
        ax.spines[["top", "right"]].set_visible(False)
        fig.tight_layout(pad=0.4)
        out = io.BytesIO()
        fig.savefig(out, format=fmt, metadata={"Date": None})  # the same figures, the same file
        plt.close(fig)
    return out.getvalue()


def drawn(table: Table) -> bool:
    """Whether the chart has a bar to draw: with every figure hidden, the page shows the
    table alone, not an empty axis."""
    return bool(_figures(table)[0])


def _names_above(ax: Axes, names: list[str], values: list[float], thick: float) -> None:
    """Bars across the whole width, each under its name (in slots of height 1)."""
    ax.barh(range(len(values)), values, height=thick, color=BLUE)
    for i, name in enumerate(names):
        ax.text(0, i - thick / 2 - 0.05, name, va="bottom", ha="left")
    ax.set_ylim(max(len(values), 1) - 1 + thick / 2 + 0.05, thick / 2 - 1)
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)


def _whole(measure: Measure) -> bool:
    """Whether the figures are whole (an axis of families has no « 2,5 »)."""
    return measure in (Measure.COUNT, Measure.PLACES)


CACHED = 1024  # charts kept (a few KB each): 512 views in two layouts
_drawn: OrderedDict[tuple[object, ...], str] = OrderedDict()


def data_uri(table: Table, version: object = None, layout: Layout = WIDE) -> str:
    """The chart as a data URI, drawn once per view, layout and refresh (`version`):
    matplotlib takes tens of milliseconds, a page is asked for again and again between
    refreshes."""
    key = (table.indicator.key, table.year, table.month, table.by, table.value, version, layout)
    if key not in _drawn:
        svg = bars(table, layout)
        _drawn[key] = "data:image/svg+xml;base64," + base64.b64encode(svg).decode()
        while len(_drawn) > CACHED:
            _drawn.popitem(last=False)
    _drawn.move_to_end(key)
    return _drawn[key]


def description(table: Table) -> str:
    """The chart's text alternative (the table beside it has every figure); it names the
    columns with no bar, hidden by the small-numbers rule (else a funnel of five stages
    drawn as one bar reads as if the others did not exist)."""
    row = TOTAL if TOTAL in table.rows else (table.rows[0] if table.rows else TOTAL)
    hidden: list[str] = []
    later: list[str] = []
    for c in table.columns:
        cell = table.cell(row, c)
        if c != TOTAL and cell.hidden:
            (later if cell.later else hidden).append(labels.value(table.indicator.column, c))
    what = f"{labels.TITLES[table.indicator.key].lower()}, {labels.month(table.month)}"
    if not drawn(table):
        return (
            f"Pas de graphique pour {what.replace(', ', ' (', 1)}), ensemble des territoires : "
            "aucun chiffre ne peut y être montré. Le tableau dit pourquoi."
        )
    missing = f" Sans barre, chiffre masqué : {', '.join(hidden)}." if hidden else ""
    if later:
        missing += f" Sans barre, {labels.NOT_YET} : {', '.join(later)}."
    return (
        f"Graphique en barres : {labels.TITLES[table.indicator.key].lower()}, "
        f"{labels.month(table.month)}, ensemble des territoires.{missing} "
        "Les chiffres sont dans le tableau."
    )
