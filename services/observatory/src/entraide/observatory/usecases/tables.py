"""A published table: what a page, a CSV export and a report show of one indicator.

Cells hold only what protection lets out: a count, a number of places, or a median and
a 90th percentile of days; None where the figure is hidden.
"""

from dataclasses import dataclass
from functools import cached_property

from entraide.observatory.domain.indicators import Dimension, Indicator, Measure, in_order
from entraide.observatory.domain.protection import TOTAL, Key


@dataclass(frozen=True)
class Cell:
    count: int | None  # None: hidden
    places: int | None = None
    median: float | None = None
    p90: float | None = None
    ratio: float | None = None
    later: bool = False  # counted once the month in progress is over: no figure yet

    @property
    def hidden(self) -> bool:
        return self.count is None


HIDDEN = Cell(None)
NOT_YET = Cell(None, later=True)  # not hidden: not counted yet (never 0)
ZERO = Cell(0, 0)


@dataclass(frozen=True)
class Published:
    """An indicator's protected cube for a year, unfiltered or along one filter."""

    indicator: Indicator
    year: str
    by: Dimension | None
    cells: dict[Key, Cell]

    @cached_property
    def slices(self) -> dict[tuple[str, str], dict[tuple[str, str], Cell]]:
        """The cube cut once into its views: (month, filter value) → (row, column) → cell."""
        cut: dict[tuple[str, str], dict[tuple[str, str], Cell]] = {}
        for (row, month, column, value), cell in self.cells.items():
            cut.setdefault((month, value), {})[(row, column)] = cell
        return cut

    @cached_property
    def _months(self) -> list[str]:
        return sorted({month for month, _ in self.slices if month != TOTAL})

    @cached_property
    def _values(self) -> list[str]:
        return in_order(self.by, {value for _, value in self.slices if value != TOTAL})

    def months(self) -> list[str]:
        return self._months

    def filter_values(self) -> list[str]:
        return self._values


@dataclass(frozen=True)
class Table:
    """One view: territories in rows, the indicator's column values in columns."""

    indicator: Indicator
    year: str
    month: str  # `*`: the whole year
    by: Dimension | None
    value: str  # the filter's value, `*` when unfiltered
    rows: list[str]  # territories, then `*` (all)
    columns: list[str]  # column values, then `*` (all)
    cells: dict[tuple[str, str], Cell]
    # the month in progress when the view includes it and has stages counted at a month's
    # end: the page says they leave it out (empty: nothing to say)
    in_progress: str = ""

    @property
    def measure(self) -> Measure:
        return self.indicator.measure

    def cell(self, row: str, column: str) -> Cell:
        return self.cells.get((row, column), ZERO)


def table_of(published: Published, month: str, value: str, in_progress: str = "") -> Table:
    """The slice of a published cube for one month (or `*`) and one filter value;
    `in_progress`: the month not over yet, whose month-end stages have no figure yet."""
    slice_ = {
        (k[0], k[2]): cell for k, cell in published.cells.items() if k[1] == month and k[3] == value
    }
    rows = sorted({r for r, _ in slice_}, key=_territory_order)
    columns = in_order(published.indicator.column, {c for _, c in slice_})
    if stages := published.indicator.stages:
        # a funnel: every stage its title names, in order, no total; a stage no fact
        # reached reads 0 (it describes nobody) rather than vanishing from the table
        columns = list(stages)
    current = _current(published, month, in_progress)
    if current and (month == current or not any(m < current for m in published.months())):
        # no month's end of the view counted yet: « mois en cours », not 0
        for row in rows or [TOTAL]:
            slice_ |= {(row, c): NOT_YET for c in published.indicator.at_month_end}
        rows = rows or [TOTAL]
    return Table(
        published.indicator,
        published.year,
        month,
        published.by,
        value,
        rows,
        columns,
        slice_,
        in_progress=current,
    )


def _current(published: Published, month: str, in_progress: str) -> str:
    """The month in progress if the view includes it and counts stages at a month's end."""
    if not (published.indicator.at_month_end and in_progress):
        return ""
    if month == in_progress or (month == TOTAL and published.year == in_progress[:4]):
        return in_progress
    return ""


def _territory_order(code: str) -> tuple[int, str]:
    return (2 if code == TOTAL else 1 if code in ("autres", "") else 0, code)
