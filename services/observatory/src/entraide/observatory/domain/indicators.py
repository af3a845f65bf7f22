"""The indicators the observatory publishes: what each one counts, along which column,
and how it is protected. The SQL that computes them lives in the archive adapter; the
words that name them live with the pages.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from entraide.contracts.vocab import Urgency
from entraide.observatory.domain.applications import AT_MONTH_END, Stage
from entraide.observatory.domain.facts import FactKind
from entraide.observatory.domain.protection import TOTAL


class Theme(StrEnum):
    DEMAND = "demande"
    SUPPLY = "offre"
    FLOW = "parcours"
    UNMET = "besoins-non-couverts"
    OUTCOMES = "issues"
    VOLUNTEERS = "benevoles"
    RETENTION = "conservation"


class Dimension(StrEnum):
    """A column of a table, or a filter of a view."""

    NEED = "need"
    SITUATION = "situation"  # the signs of exhaustion or isolation, one column each
    URGENCY = "urgency"
    ASSOCIATION = "association"
    CHANNEL = "channel"
    SIGNS = "signs"
    REASON = "reason"
    OUTCOME = "outcome"
    ON_TIME = "on-time"
    HONORABILITY = "honorability"


class Measure(StrEnum):
    COUNT = "count"  # families (or volunteers, proposals): protected by the threshold
    PLACES = "places"  # places offered by associations (public, not about a family)
    DURATION = "duration"  # median and 90th percentile of days, over at least k families
    RATIO = "ratio"  # places offered and volunteers available per request (derived)


# the vocabularies whose values have an order: columns and filters read in it, not in the
# alphabet's (« Critique | Élevée | Faible | Moyenne »); the others stay alphabetical
ORDERS: dict[Dimension, tuple[str, ...]] = {
    Dimension.URGENCY: tuple(Urgency),
    Dimension.SIGNS: ("aucun", "au-moins-un", "plusieurs"),  # the archive's codes
}


def in_order(dimension: Dimension | None, codes: Iterable[str]) -> list[str]:
    """`codes` in their vocabulary's order, unknown ones (« Non renseigné ») after them
    alphabetically, the total `*` last."""
    order = ORDERS.get(dimension, ()) if dimension is not None else ()
    rank = {code: i for i, code in enumerate(order)}
    return sorted(codes, key=lambda c: (c == TOTAL, rank.get(c, len(rank)), c))


FILTERS: tuple[Dimension, ...] = (Dimension.NEED, Dimension.ASSOCIATION, Dimension.URGENCY)
# the facts that carry an urgency: a family's request and what follows it (an offer, a
# volunteer, an application or an erasure has none: its only value would be « Non renseigné »)
WITH_URGENCY = frozenset(
    {
        FactKind.REQUEST,
        FactKind.WITHDRAWN,
        FactKind.PROPOSED,
        FactKind.ACCEPTED,
        FactKind.STARTED,
        FactKind.DECLINED,
        FactKind.EXPIRED,
        FactKind.WAITLISTED,
        FactKind.WAITED,
        FactKind.CHECKED_IN,
        FactKind.CLOSED,
    }
)
# a fact may hold several values of these (a family asks for two needs): one list per cube
LISTS = frozenset({Dimension.NEED, Dimension.SITUATION})


@dataclass(frozen=True)
class Indicator:
    key: str
    theme: Theme
    kind: FactKind
    column: Dimension
    measure: Measure = Measure.COUNT
    only_active: bool = False  # volunteers: the active ones only
    only_outcome: str = ""  # the facts of this outcome only (the funnel's approvals)
    filterable: bool = True
    # columns that are the stages of one path: read in this order, with no total (an
    # application received then approved is one person, not two)
    stages: tuple[str, ...] = ()
    at_month_end: tuple[str, ...] = ()  # stages counted once a month is over

    @property
    def filters(self) -> tuple[Dimension, ...]:
        """The filters a view of this indicator offers (not its own column)."""
        if not self.filterable:
            return ()
        lists = self.column in LISTS
        return tuple(
            f
            for f in FILTERS
            if f != self.column
            and not (lists and f in LISTS)
            and (f is not Dimension.URGENCY or self.kind in WITH_URGENCY)
        )


INDICATORS: tuple[Indicator, ...] = (
    Indicator("demande-besoin", Theme.DEMAND, FactKind.REQUEST, Dimension.NEED),
    Indicator("demande-urgence", Theme.DEMAND, FactKind.REQUEST, Dimension.URGENCY),
    Indicator("demande-signes", Theme.DEMAND, FactKind.REQUEST, Dimension.SIGNS),
    Indicator("demande-canal", Theme.DEMAND, FactKind.REQUEST, Dimension.CHANNEL),
    Indicator("demande-situations", Theme.DEMAND, FactKind.REQUEST, Dimension.SITUATION),
    Indicator("offre-places", Theme.SUPPLY, FactKind.OFFER, Dimension.NEED, Measure.PLACES),
    Indicator(
        "offre-benevoles", Theme.SUPPLY, FactKind.VOLUNTEER, Dimension.NEED, only_active=True
    ),
    Indicator(
        "couverture",
        Theme.SUPPLY,
        FactKind.REQUEST,
        Dimension.NEED,
        Measure.RATIO,
        filterable=False,
    ),
    Indicator(
        "delai-proposition", Theme.FLOW, FactKind.PROPOSED, Dimension.URGENCY, Measure.DURATION
    ),
    Indicator(
        "delai-acceptation", Theme.FLOW, FactKind.ACCEPTED, Dimension.URGENCY, Measure.DURATION
    ),
    Indicator("delai-debut", Theme.FLOW, FactKind.STARTED, Dimension.URGENCY, Measure.DURATION),
    Indicator("refus-motif", Theme.FLOW, FactKind.DECLINED, Dimension.REASON),
    Indicator("propositions-expirees", Theme.FLOW, FactKind.EXPIRED, Dimension.NEED),
    Indicator("attente-motif", Theme.UNMET, FactKind.WAITLISTED, Dimension.REASON),
    Indicator("attente-duree", Theme.UNMET, FactKind.WAITED, Dimension.REASON, Measure.DURATION),
    Indicator("issues-fin", Theme.OUTCOMES, FactKind.CLOSED, Dimension.OUTCOME),
    Indicator("issues-duree", Theme.OUTCOMES, FactKind.CLOSED, Dimension.OUTCOME, Measure.DURATION),
    Indicator("suivis", Theme.OUTCOMES, FactKind.CHECKED_IN, Dimension.ON_TIME),
    Indicator("benevoles-accordes", Theme.VOLUNTEERS, FactKind.APPROVED, Dimension.NEED),
    Indicator(
        "delai-accord", Theme.VOLUNTEERS, FactKind.APPROVED, Dimension.ASSOCIATION, Measure.DURATION
    ),
    Indicator("benevoles-statut", Theme.VOLUNTEERS, FactKind.VOLUNTEER, Dimension.OUTCOME),
    Indicator(
        "benevoles-honorabilite", Theme.VOLUNTEERS, FactKind.VOLUNTEER, Dimension.HONORABILITY
    ),
    Indicator(
        "benevoles-parcours",
        Theme.VOLUNTEERS,
        FactKind.APPLICATION,
        Dimension.OUTCOME,
        stages=tuple(stage.value for stage in Stage),
        at_month_end=AT_MONTH_END,
    ),
    Indicator(
        "benevoles-parcours-accord",
        Theme.VOLUNTEERS,
        FactKind.APPLICATION,
        Dimension.ASSOCIATION,
        Measure.DURATION,
        only_outcome="approved",
    ),
    Indicator("effacements", Theme.RETENTION, FactKind.ERASURE, Dimension.REASON, filterable=False),
)
BY_KEY = {indicator.key: indicator for indicator in INDICATORS}
# the coverage ratio: (places offered + volunteers available) / requests, cell by cell
COVERAGE = ("couverture", "offre-places", "offre-benevoles", "demande-besoin")
