"""The urgency policy: which families are served first, and how waiting raises a turn.

The network reads and changes it here (and its French text, `TEXT_FR`, on the
coordinators' pages). Pure: no I/O.

1. A family in crisis (`critical`: intake sets it from the sign `situation-de-crise`) is
   served first whenever a place can take it: the batch first maximises how many such
   families are served, and only then the urgency-weighted total fit. No fit, wait or
   number of other families outweighs one more family in crisis served.
2. The others share what is left by priority x fit: the priority is the urgency's
   weight raised by the wait (x2 after 30 days, x3 at most after 60), so nobody waits
   forever, but the raise is bounded below a crisis's weight.
"""

from datetime import datetime
from typing import Protocol

from entraide.contracts.labels import URGENCY, in_sentence

URGENCY_WEIGHT = {"low": 1.0, "medium": 1.5, "high": 2.5, "critical": 8.0}
SERVED_FIRST = frozenset({"critical"})  # the urgencies served before every other family
WAITING_DAYS_TO_DOUBLE = 30.0  # nobody waits forever: the weight grows with the wait
MAX_WAITING_BOOST = 2.0  # x3 at most: high waiting 60 days (7.5) stays below a crisis (8)
# the urgency inside the score's reasons (« urgence élevée »), from the shared labels
URGENCY_FR = {str(level): in_sentence(text) for level, text in URGENCY.items()}

TEXT_FR = (
    "Une famille en situation de crise (urgence critique) est servie la première dès "
    "qu'une place peut l'accueillir : le calcul d'ensemble sert d'abord le plus grand "
    "nombre possible de familles en crise, puis seulement la meilleure adéquation pour "
    "toutes les autres. Ni l'ancienneté de l'attente ni un meilleur score d'une autre "
    "famille ne passent devant une crise. Pour les autres familles, la priorité est "
    "l'urgence (faible 1 ; moyenne 1,5 ; élevée 2,5) multipliée par 2 après 30 jours "
    "d'attente et par 3 au plus après 60 jours : personne n'attend indéfiniment, mais "
    "aucune attente n'atteint le poids d'une crise (8)."
)


class Waiter(Protocol):
    @property
    def urgency(self) -> str: ...
    @property
    def waiting_since(self) -> datetime: ...


def first(family: Waiter) -> bool:
    """Whether the family is served before every family not in crisis."""
    return family.urgency in SERVED_FIRST


def priority(family: Waiter, now: datetime) -> float:
    """Urgency, raised by waiting: a low-urgency family waiting two months passes a new
    high one; no wait lifts a family to a crisis's weight."""
    days = max(0.0, (now - family.waiting_since).total_seconds() / 86400)
    boost = min(days / WAITING_DAYS_TO_DOUBLE, MAX_WAITING_BOOST)
    return round(URGENCY_WEIGHT.get(family.urgency, 1.0) * (1 + boost), 4)


def ceiling_below_crisis() -> float:
    """The highest priority a family not in crisis can reach (the policy keeps it below a
    new crisis's weight)."""
    others = [w for u, w in URGENCY_WEIGHT.items() if u not in SERVED_FIRST]
    return max(others) * (1 + MAX_WAITING_BOOST)


def crisis_weight() -> float:
    """The priority of a family in crisis that has not waited yet."""
    return min(URGENCY_WEIGHT[u] for u in SERVED_FIRST)
