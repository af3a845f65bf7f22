"""The charts read on a phone: a 390 px screen shows a chart about 360 px wide, where the
narrow drawing's text stays at least 11 px high and long names are wrapped, not squeezed;
the axis writes numbers the French way; each layout is drawn once per view and refresh."""

from entraide.observatory.domain.indicators import BY_KEY
from entraide.observatory.entrypoints.http import charts, labels
from entraide.observatory.usecases.tables import Cell, Table
from tests.unit.observatory.svg_text import from_data_uri, lines, smallest_px, width_px

PHONE = 360  # CSS px: a 390 px screen less the page's margins


def view(key: str, figures: list[int]) -> Table:
    """A whole-year view of `key` whose network row holds `figures`, column by column."""
    indicator = BY_KEY[key]
    codes = list(labels.VALUES[indicator.column])[: len(figures)]
    cells = {
        ("*", c): Cell(f, f, median=f / 7, ratio=f / 300)
        for c, f in zip(codes, figures, strict=True)
    }
    return Table(indicator, "2026", "*", None, "*", ["44", "*"], [*codes, "*"], cells)


REASONS = view("attente-motif", [120, 45, 1300, 8, 60, 77, 90, 5, 14, 300, 20, 11, 9, 40, 60, 7])


def test_the_phone_chart_is_narrow_and_its_text_at_least_11_px_at_360_px_wide() -> None:
    phone = charts.bars(REASONS, charts.NARROW)
    assert width_px(phone) <= PHONE  # scaled up to the screen, never down
    assert smallest_px(phone, PHONE) >= 11
    wide = charts.bars(REASONS, charts.WIDE)
    assert smallest_px(wide, PHONE) < 11  # why a phone needs its own drawing
    assert width_px(wide) > 600


def test_long_names_are_wrapped_whole_on_the_phone_chart() -> None:
    long = "Une valeur au nom bien plus long que tous ceux des vocabulaires d'aujourd'hui"
    table = view("attente-motif", [120, 45])
    table = Table(
        table.indicator, "2026", "*", None, "*", ["*"], [long, *table.columns],
        {**table.cells, ("*", long): Cell(30)},
    )  # fmt: skip
    drawn = lines(charts.bars(table, charts.NARROW))
    assert all(len(line) <= charts.NARROW.wrap for line in drawn)
    assert long not in drawn  # on two lines
    assert long in " ".join(drawn)  # every word kept
    assert "Le bénévole n'est pas disponible" in drawn


def test_the_axis_writes_decimals_with_a_comma_and_thousands_with_a_space() -> None:
    coverage = lines(charts.bars(view("couverture", [120, 45, 130, 80]), charts.NARROW))
    assert any("," in t and t.replace(",", "").isdigit() for t in coverage), coverage
    assert not any("." in t and t.replace(".", "").isdigit() for t in coverage), coverage
    counts = lines(charts.bars(view("demande-besoin", [1200, 450, 13000, 80]), charts.WIDE))
    assert "12\u202f000" in counts or "10\u202f000" in counts, counts


def test_each_layout_is_drawn_once_per_view_and_refresh() -> None:
    table = view("demande-besoin", [1200, 450, 13000, 80])
    phone = charts.data_uri(table, "refresh-1", charts.NARROW)
    wide = charts.data_uri(table, "refresh-1")
    assert phone is charts.data_uri(table, "refresh-1", charts.NARROW)
    assert wide is charts.data_uri(table, "refresh-1", charts.WIDE)
    assert width_px(from_data_uri(phone)) < width_px(from_data_uri(wide))
