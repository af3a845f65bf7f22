"""Statistical disclosure control: no published figure describes fewer than k families.

A table is a cube of counts with all its margins: each cell's coordinates (territory,
month, column value, filter value), `*` standing for the total along a dimension.

1. Primary suppression: a count from 1 to k-1 is hidden (0 is shown: it describes nobody).
2. Complementary suppression: along every line of the cube (one dimension varying, its
   total included), a line with exactly one hidden cell would give it away by
   subtraction, so the smallest other cell of that line is hidden too; repeated until no
   line has exactly one. A view filtered by an association and the unfiltered view are
   the same cube's slices, so subtracting one from the other recovers nothing either.
3. Small territories roll up into « Autres territoires » before counting.

The cells of the unfiltered slice are decided first and fixed (`fixed`), so every filtered
cube agrees with it: two overlapping queries never show different suppressions.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping

TOTAL = "*"
OTHER_TERRITORIES = "autres"
Key = tuple[str, ...]


def lines_of(keys: Iterable[Key]) -> list[list[Key]]:
    """Every line of the cube: the cells that differ along one dimension only."""
    keys = list(keys)
    if not keys:
        return []
    found: list[list[Key]] = []
    for d in range(len(keys[0])):
        groups: dict[Key, list[Key]] = defaultdict(list)
        for key in keys:
            groups[key[:d] + key[d + 1 :]].append(key)
        found += [line for line in groups.values() if len(line) > 1]
    return found


def suppressed(
    counts: Mapping[Key, int],
    threshold: int,
    *,
    fixed: Mapping[Key, bool] | None = None,
    force: frozenset[Key] = frozenset(),
) -> frozenset[Key]:
    """The cells to hide (primary, then complementary) so none can be recovered from the
    published totals; a cell of `fixed` keeps the decision already taken for it."""
    return protect(counts, threshold, fixed=fixed, force=force)[0]


def protect(
    counts: Mapping[Key, int],
    threshold: int,
    *,
    fixed: Mapping[Key, bool] | None = None,
    force: frozenset[Key] = frozenset(),
) -> tuple[frozenset[Key], frozenset[Key]]:
    """The cells to hide, and the `fixed` cells that had to be hidden too (a line whose
    only other cells were decided already): the caller decides them again, hidden."""
    fixed = fixed or {}
    hidden = {key for key, n in counts.items() if key in force or fixed.get(key, 0 < n < threshold)}
    wanted: set[Key] = set()
    lines = lines_of(counts)
    changed = True
    while changed:
        changed = False
        for line in lines:
            inside = [key for key in line if key in hidden]
            if len(inside) != 1:
                continue
            free = [key for key in line if key not in hidden and key not in fixed]
            if not free:  # only decided cells left: one of them must be hidden after all
                free = [key for key in line if key not in hidden]
                wanted.add(min(free, key=lambda key: (counts[key], key)))
            hidden.add(min(free, key=lambda key: (counts[key], key)))
            changed = True
    return frozenset(hidden), frozenset(wanted)


def kept_territories(families: Mapping[str, int], minimum: int) -> frozenset[str]:
    """The départements shown on their own; the others roll up into « Autres territoires »."""
    return frozenset(code for code, n in families.items() if n >= minimum and code)


def recoverable(published: Mapping[Key, int | None]) -> dict[Key, int]:
    """What an attacker recovers by subtraction along lines (additive dimensions only):
    used by tests and by the refresh's own self-check."""
    known = {key: n for key, n in published.items() if n is not None}
    lines = lines_of(published)
    found: dict[Key, int] = {}
    changed = True
    while changed:
        changed = False
        for line in lines:
            totals = [key for key in line if TOTAL in key and _is_total_of(key, line)]
            if len(totals) != 1 or totals[0] not in known:
                continue
            parts = [key for key in line if key != totals[0]]
            unknown = [key for key in parts if key not in known]
            if len(unknown) == 1:
                value = known[totals[0]] - sum(known[key] for key in parts if key in known)
                known[unknown[0]] = found[unknown[0]] = value
                changed = True
    return found


def _is_total_of(key: Key, line: list[Key]) -> bool:
    """Whether `key` is the total of `line` (its varying dimension is `*`)."""
    varying = [d for d in range(len(key)) if len({k[d] for k in line}) > 1]
    return bool(varying) and all(key[d] == TOTAL for d in varying)
