"""The soft score: how well a support fits a family (0 to 1), and how much the family's
turn matters (its priority, `policy`). The assignment serves the families in crisis first,
then maximises the sum of priority x fit.

Every part is kept, so a coordinator sees why a pair was proposed.
"""

from dataclasses import dataclass, field
from datetime import datetime

from entraide.contracts.geography import distance_km
from entraide.contracts.labels import SKILLS, in_sentence
from entraide.matching.domain.model import Family, Support
from entraide.matching.domain.policy import (
    MAX_WAITING_BOOST,
    URGENCY_FR,
    URGENCY_WEIGHT,
    WAITING_DAYS_TO_DOUBLE,
    priority,
)
from entraide.matching.domain.rules import max_km

WEIGHTS = {"distance": 0.35, "slots": 0.20, "language": 0.15, "continuity": 0.10, "load": 0.20}
# A volunteer's skill that serves one of the family's needs adds a little to the fit, on
# top of the weights (capped at 1): enough to tell two otherwise equal volunteers apart,
# never enough to outweigh distance or shared slots. A skill not listed here adds nothing.
SKILL_BONUS = 0.05
SKILL_NEEDS: dict[str, frozenset[str]] = {
    "aide-aux-devoirs": frozenset({"accompagnement-scolaire"}),
    "garde-d-enfants": frozenset({"repit-garde-ponctuelle"}),
    "demarches-administratives": frozenset({"acces-aux-droits"}),
    "ecoute-active": frozenset({"ecoute", "soutien-a-la-parentalite"}),
    "activites-sportives-culturelles": frozenset({"activites-et-lien-social"}),
    "experience-de-parent": frozenset({"soutien-a-la-parentalite", "parrainage-de-proximite"}),
}
Explained = tuple[dict[str, float], tuple[str, ...]]  # the parts by name, the reasons
__all__ = [  # the policy's figures, kept importable from here
    "MAX_WAITING_BOOST",
    "URGENCY_FR",
    "URGENCY_WEIGHT",
    "WAITING_DAYS_TO_DOUBLE",
    "Score",
    "fit",
    "priority",
    "score",
    "scored",
]


@dataclass(frozen=True, slots=True)
class Score:
    """A pair's fit and the family's priority; its parts and reasons are worked out when
    first read (most pairs ranked are never proposed, so never explained). Slots, and the
    pair itself rather than a bound explanation: the batch holds hundreds of thousands."""

    fit: float  # 0..1
    priority: float  # urgency x waiting
    distance_km: float | None
    family: Family = field(compare=False, repr=False)
    support: Support = field(compare=False, repr=False)
    now: datetime = field(compare=False, repr=False)
    _explained: Explained | None = field(default=None, init=False, compare=False, repr=False)

    def _explanation(self) -> Explained:
        if self._explained is None:  # once: frozen, so set past the dataclass's guard
            explained = _explain(self.family, self.support, self.distance_km, self.now)
            object.__setattr__(self, "_explained", explained)
            return explained
        return self._explained

    @property
    def parts(self) -> dict[str, float]:
        return self._explanation()[0]

    @property
    def reasons(self) -> tuple[str, ...]:
        return self._explanation()[1]

    @property
    def weighted(self) -> float:
        return self.fit * self.priority

    def breakdown(self) -> dict[str, float]:
        return {**self.parts, "fit": self.fit, "priority": self.priority}


def score(family: Family, support: Support, *, now: datetime, km: float | None = None) -> Score:
    """The fit of an eligible pair (check `rules.unfit` first) and why. `km`: the distance
    if the rules already measured it."""
    if km is None and family.location and support.location:
        km = distance_km(family.location, support.location)
    return scored(family, support, fit(family, support, km), priority(family, now), km, now)


def scored(
    family: Family, support: Support, pair_fit: float, prio: float, km: float | None, now: datetime
) -> Score:
    """The score of a pair whose `fit` (with this `km`) and family's priority are known."""
    return Score(pair_fit, prio, km, family, support, now)


def _explain(family: Family, support: Support, km: float | None, now: datetime) -> Explained:
    """The parts of the fit, by name, and the reasons in French."""
    parts = _parts(family, support, km)
    reasons: list[str] = []
    if family.location and support.location:
        reasons.append(f"à {km:.1f} km".replace(".", ","))
    else:
        reasons.append("même département")
    if support.one_to_one:
        shared = len(family.slots & support.slots)
        reasons.append(f"{shared} créneau{'x' if shared > 1 else ''} en commun")
    other = (family.languages - {"fr"}) & support.languages
    if other and support.languages:
        reasons.append("parle " + ", ".join(sorted(other)))
    if parts[3]:  # continuity
        reasons.append("association déjà connue de la famille")
    useful = useful_skills(family, support)
    if useful:
        reasons.append("sait faire : " + ", ".join(in_sentence(SKILLS[s]) for s in useful))
    named = dict(zip(WEIGHTS, parts, strict=True)) | {"skills": 1.0 if useful else 0.0}
    days = int(max(0.0, (now - family.waiting_since).total_seconds() // 86400))
    reasons.append(f"urgence {URGENCY_FR.get(family.urgency, family.urgency)}")
    if days:
        reasons.append(f"attend depuis {days} jour{'s' if days > 1 else ''}")
    return named, tuple(reasons)


def fit(family: Family, support: Support, km: float | None) -> float:
    """The fit alone, as `score` computes it, without the reasons (to rank many pairs and
    explain only the ones kept). `km`: the distance, when both places are known."""
    return _with_skills(_parts(family, support, km), bool(useful_skills(family, support)))


def useful_skills(family: Family, support: Support) -> list[str]:
    """The volunteer's skills that serve one of the family's needs, in order."""
    return sorted(s for s in support.skills if SKILL_NEEDS.get(s, frozenset()) & family.needs)


Parts = tuple[float, float, float, float, float]  # in the order of WEIGHTS


def _parts(family: Family, support: Support, km: float | None) -> Parts:
    if km is not None and family.location and support.location:
        distance = round(max(0.0, 1 - km / max_km(family, support)), 4)
    else:
        distance = 0.5
    if support.one_to_one:
        shared = len(family.slots & support.slots)
        slots = round(min(1.0, shared / max(1, min(len(family.slots), 3))), 4)
    else:
        slots = 0.5
    continuity = 1.0 if support.association_id in family.known_associations else 0.0
    load = 1.0 if not support.capacity else round(1 - support.load / support.capacity, 4)
    return distance, slots, _language(family, support), continuity, load


_WEIGHTS = tuple(WEIGHTS.values())


def _weighted_sum(parts: Parts) -> float:
    return round(sum(w * v for w, v in zip(_WEIGHTS, parts, strict=True)), 4)


def _with_skills(parts: Parts, useful: bool) -> float:
    """The weighted sum, and the skills' bonus if any (never past 1)."""
    return min(1.0, round(_weighted_sum(parts) + (SKILL_BONUS if useful else 0.0), 4))


def _language(family: Family, support: Support) -> float:
    """A shared language other than French counts most; French alone is the common case."""
    if not support.languages:
        return 0.6
    if (family.languages - {"fr"}) & support.languages:
        return 1.0
    if family.languages - {"fr"}:  # the family speaks another language nobody shares
        return 0.4 if "fr" in support.languages else 0.0
    return 0.8 if "fr" in support.languages else 0.3
