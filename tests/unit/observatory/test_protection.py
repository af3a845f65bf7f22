"""The suppression rule on small cubes: a cell of 4 is hidden, and so is a second cell of
its line; a differencing attack (the whole against the views of each association, two
views that differ by one family) recovers nothing."""

from entraide.observatory.domain.protection import TOTAL, protect, recoverable, suppressed


def cube(cells: dict[tuple[str, str], int]) -> dict[tuple[str, ...], int]:
    """A 2-D cube (territory by association) with its margins."""
    full: dict[tuple[str, ...], int] = dict(cells)
    for (t, a), n in cells.items():
        full[(t, TOTAL)] = full.get((t, TOTAL), 0) + n
        full[(TOTAL, a)] = full.get((TOTAL, a), 0) + n
        full[(TOTAL, TOTAL)] = full.get((TOTAL, TOTAL), 0) + n
    return full


def published(counts: dict[tuple[str, ...], int], hidden: frozenset) -> dict:
    return {k: None if k in hidden else n for k, n in counts.items()}


def test_a_cell_of_four_is_not_shown_nor_recoverable() -> None:
    counts = cube({("44", "afev"): 4, ("44", "unaf"): 30, ("75", "afev"): 12, ("75", "unaf"): 40})
    hidden = suppressed(counts, 5)
    assert ("44", "afev") in hidden
    assert len(hidden) >= 4  # its row and its column each hide a second cell
    assert ("44", "afev") not in recoverable(published(counts, hidden))


def test_two_views_differing_by_one_family_reveal_nothing() -> None:
    """The network's view counts 21 families in Nièvre; each association's view is
    published too; one family is the only one of its association there. Subtracting every
    published association from the whole must not give that family's association away."""
    counts = cube(
        {
            ("58", "unaf"): 12,
            ("58", "centres-sociaux"): 8,
            ("58", "afev"): 1,
            ("59", "unaf"): 9,
            ("59", "centres-sociaux"): 7,
            ("59", "afev"): 22,
        }
    )
    hidden = suppressed(counts, 5)
    attack = recoverable(published(counts, hidden))
    assert ("58", "afev") in hidden
    assert ("58", "afev") not in attack
    assert not hidden & set(attack)


def test_a_filtered_view_agrees_with_the_whole() -> None:
    """A cell decided in the unfiltered view keeps its decision; a line that can only be
    protected by hiding such a cell asks for it."""
    counts = {("44", "a"): 3, ("44", TOTAL): 3}
    hidden, wanted = protect(counts, 5, fixed={("44", TOTAL): False})
    assert ("44", "a") in hidden
    assert wanted == {("44", TOTAL)}


def test_zero_is_shown() -> None:
    assert suppressed({("44", "a"): 0, ("44", TOTAL): 0}, 5) == frozenset()
