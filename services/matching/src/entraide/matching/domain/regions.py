"""The batch's independent regions: families joined by the supports they could share.

Two families are in one region when a chain of candidate pairs links them (a family, a
support it could take, another family that support could take, ...). No place, no cost
and no family in crisis is shared between regions, so the batch's flow on the whole
candidate graph is the flows of its regions side by side: optimising one region at a time
(or a few small ones together) serves the same families in crisis and the same weighted
total, and holds one region's families instead of the country's. Pure: no I/O.
"""

from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime

from entraide.matching.domain.assign import SupportIndex, ranked
from entraide.matching.domain.model import Family
from entraide.matching.domain.rules import Unfit


class Regions:
    """Families joined through their candidate supports (a disjoint-set forest over the
    supports' keys); each family keeps one of its supports, which names its region."""

    def __init__(self) -> None:
        self._parent: dict[str, str] = {}
        self._anchor: dict[str, str] = {}  # request id -> one of its candidate supports

    def join(self, request_id: str, supports: Iterable[str]) -> None:
        """The family's candidates are in its region, and so are their other families."""
        for support in supports:
            anchor = self._anchor.setdefault(request_id, support)
            self._union(anchor, support)

    def groups(self) -> list[list[str]]:
        """Each region's request ids, in the order they were joined; regions in the order
        of their first family."""
        found: dict[str, list[str]] = {}
        for request_id, anchor in self._anchor.items():
            found.setdefault(self._root(anchor), []).append(request_id)
        return list(found.values())

    def _root(self, s: str) -> str:
        parent = self._parent
        while parent.get(s, s) != s:
            parent[s] = parent.get(parent[s], parent[s])  # halving: the paths stay short
            s = parent[s]
        return s

    def _union(self, a: str, b: str) -> None:
        ra, rb = self._root(a), self._root(b)
        if ra != rb:
            self._parent[max(ra, rb)] = min(ra, rb)


def packed(groups: Iterable[list[str]], size: int) -> Iterator[list[str]]:
    """Whole regions together, up to `size` families a pack (a larger region alone): a few
    store reads and one flow for many small regions, never a region cut in two."""
    pack: list[str] = []
    for group in groups:
        if pack and len(pack) + len(group) > size:
            yield pack
            pack = []
        pack.extend(group)
    if pack:
        yield pack


def reachable(
    families: Sequence[Family],
    index: SupportIndex,
    *,
    now: datetime,
    declined: dict[str, frozenset[str]] | None = None,
    top_k: int | None = None,
) -> tuple[dict[int, list[int]], dict[int, Unfit]]:
    """`assign.candidates`' pairs, not scored (what joins regions): each family's supports
    (positions), and for each family with none, why."""
    blocked: dict[int, Unfit] = {}
    found = ranked(families, index, now, declined or {}, top_k, False, blocked)
    return {f: [s for _, s, _ in best] for f, best in found}, blocked
