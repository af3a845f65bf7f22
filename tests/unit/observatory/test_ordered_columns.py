"""A vocabulary with an order reads in that order, not the alphabet's: « delai-proposition »
ran « Critique | Élevée | Faible | Moyenne » (its codes sorted), « demande-signes » put
« Au moins un signe » before « Aucun signe », and the urgency filter listed its values the
same way. Columns and filter values now follow the vocabulary, from low to crisis."""

from entraide.observatory.domain.indicators import BY_KEY, Dimension
from entraide.observatory.entrypoints.http import labels
from entraide.observatory.usecases.tables import Cell, Published, table_of

URGENCIES = ("critical", "high", "low", "medium")  # as the codes sort


def published(key: str, codes: tuple[str, ...], by: Dimension | None = None) -> Published:
    """A cube with one cell per code (and the total), unfiltered or filtered by `codes`."""
    indicator = BY_KEY[key]
    if by is None:
        cells = {("*", "*", c, "*"): Cell(10) for c in (*codes, "*")}
    else:
        cells = {("*", "*", "*", v): Cell(10) for v in (*codes, "*")}
    return Published(indicator, "2026", by, cells)


def words(dimension: Dimension, codes: list[str]) -> list[str]:
    return [labels.value(dimension, c) for c in codes]


def test_urgency_columns_run_from_low_to_critical() -> None:
    table = table_of(published("delai-proposition", URGENCIES), "*", "*")
    assert words(Dimension.URGENCY, table.columns) == [
        "Faible", "Moyenne", "Élevée", "Critique", "Ensemble",
    ]  # fmt: skip


def test_requests_by_urgency_too() -> None:
    table = table_of(published("demande-urgence", ("", *URGENCIES)), "*", "*")
    assert table.columns == ["low", "medium", "high", "critical", "", "*"]


def test_signs_run_from_none_to_several() -> None:
    table = table_of(published("demande-signes", ("plusieurs", "au-moins-un", "aucun")), "*", "*")
    assert table.columns == ["aucun", "au-moins-un", "plusieurs", "*"]


def test_the_urgency_filter_lists_its_values_in_order() -> None:
    cube = published("demande-besoin", URGENCIES, Dimension.URGENCY)
    assert cube.filter_values() == ["low", "medium", "high", "critical"]


def test_unordered_vocabularies_keep_the_alphabet() -> None:
    needs = ("ecoute", "acces-aux-droits")
    table = table_of(published("demande-besoin", needs), "*", "*")
    assert table.columns == ["acces-aux-droits", "ecoute", "*"]
