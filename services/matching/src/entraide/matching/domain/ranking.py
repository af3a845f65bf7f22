"""A family's candidates ranked at once: the hard rules and the fit over arrays of the
candidates' columns (`columns`), the same answers as `rules.pair_check` and `score.fit`
pair by pair, in a few array operations.

The fit is rounded part by part as `score.fit` rounds it, to the same doubles: an array
rounding (x 10,000, to the nearest integer, / 10,000) gives Python's `round(x, 4)` unless
x x 10,000 lies on a half, and a pair with any rounding that near a half is scored again
pair by pair. The ranking is then the same, ties in the order the candidates are met. A
distance within a micrometre of a need's reach is measured again as the rules measure it,
and the distances kept are measured as the rules do. Pure: no I/O.
"""

import math
from collections.abc import Sequence
from datetime import date

import numpy as np
from numpy.typing import NDArray

from entraide.contracts.geography import EARTH_RADIUS_KM, distance_km
from entraide.matching.domain.columns import Bools, Floats, Ints, SupportColumns
from entraide.matching.domain.model import Family, Support
from entraide.matching.domain.rules import (
    BAND_LIMITS,
    DEFAULT_MAX_KM,
    MAX_KM,
    Unfit,
    pair_check,
    support_unfit,
    waitlist_reason,
)
from entraide.matching.domain.score import SKILL_BONUS, SKILL_NEEDS, WEIGHTS, fit

Codes = NDArray[np.int8]
Fit = tuple[float, int, float | None]  # (fit, support's position, km)
# each candidate's reason, as `rules.unfit` says it (0: none), in the rules' order
REASONS: tuple[Unfit | None, ...] = (
    None,
    Unfit.INACTIVE,
    Unfit.HONORABILITY,
    Unfit.CAPACITY,
    Unfit.NEED,
    Unfit.DECLINED,
    Unfit.SLOT,
    Unfit.DISTANCE,
    Unfit.AGE,
)
OPEN, INACTIVE, HONOUR, CAPACITY, NEED, DECLINED, SLOT, DISTANCE, AGE = range(len(REASONS))
BORDER_KM = 1e-6
_RAD = math.pi / 180
_W = tuple(WEIGHTS.values())


def support_reasons(cols: SupportColumns, rows: Ints, today_ordinal: int) -> Codes:
    """The candidates' own reasons (`rules.support_unfit`): inactive, then honorability
    missing or past, then no place left."""
    code = cols.state[rows]
    unchecked = cols.volunteer[rows] & (cols.honour[rows] < today_ordinal)  # or unknown
    result: Codes = np.where(unchecked & (code != INACTIVE), np.int8(HONOUR), code)
    return result


def rank(
    family: Family,
    rows: Ints,
    supports: Sequence[Support],
    cols: SupportColumns,
    today_ordinal: int,
    *,
    refused: frozenset[str],
    keep: int | None,
    min_fit: float,
) -> tuple[list[Fit], Unfit | None]:
    """The candidates (`rows`, in the order the pair-by-pair ranking meets them) whose
    fit reaches `min_fit`, best first (ties in that order), the `keep` best (all when
    None); when none does, why (the rule that stopped most of them)."""
    code = support_reasons(cols, rows, today_ordinal)
    at = np.flatnonzero(code == OPEN)
    s = rows[at]
    need_ok = (cols.need_bits[s] & np.uint64(cols.needs.mask(family.needs))) != 0
    declined = [row for k in refused for row in cols.keys.get(k, ())]
    not_declined = ~np.isin(s, declined) if declined else np.ones(len(s), np.bool_)
    slots = np.uint64(cols.slots.mask(family.slots))
    shared_slots = np.bitwise_count(cols.slot_bits[s] & slots)
    slot_ok = ~cols.one_to_one[s] | (shared_slots > 0)
    both, km, reach, near = _distances(family, s, supports, cols)
    age_ok = cols.any_age[s] | _ages_meet(family, s, cols)
    for ok, reason in ((age_ok, AGE), (near, DISTANCE), (slot_ok, SLOT)):
        code[at[~ok]] = reason  # the first rule broken wins: written last
    code[at[~not_declined]] = DECLINED
    code[at[~need_ok]] = NEED
    eligible = need_ok & not_declined & slot_ok & near & age_ok
    e = np.flatnonzero(eligible)
    fits_at, border = _fit(family, s[e], cols, both[e], km[e], reach[e], shared_slots[e])
    for j in np.flatnonzero(border).tolist():  # a rounding on its edge: as `fit` rounds it
        support = supports[int(s[e[j]])]
        fits_at[j] = fit(family, support, _km(family, support))
    passing = np.flatnonzero(fits_at >= min_fit)
    best = passing[np.argsort(-fits_at[passing], kind="stable")]  # ties: in the order met
    fits: list[Fit] = []
    for j in (best if keep is None else best[:keep]).tolist():
        i = int(s[e[j]])
        fits.append((float(fits_at[j]), i, _km(family, supports[i])))
    return fits, (None if fits else most_common(code))


def _km(family: Family, support: Support) -> float | None:
    """The distance as the rules measure it, when both places are known."""
    if family.location is None or support.location is None:
        return None
    return distance_km(family.location, support.location)


def pair_by_pair(
    family: Family,
    near: set[int],
    supports: Sequence[Support],
    open_: dict[int, Unfit | None],
    today: date,
    refused: frozenset[str],
    min_fit: float,
) -> tuple[list[Fit], Unfit | None]:
    """`rank`, pair by pair (all kept): the candidates whose fit reaches `min_fit`, in the
    order met; when none does, why (the rule that stopped most of them)."""
    fits: list[Fit] = []  # (fit, support, km)
    reasons: list[Unfit | None] = []  # each candidate's, as `unfit` would say
    for s in near:
        if s not in open_:
            open_[s] = support_unfit(supports[s], today)
        why = open_[s]
        if why is None:
            support = supports[s]
            why, km = pair_check(family, support, refused)
            if why is None:
                pair_fit = fit(family, support, km)
                if pair_fit >= min_fit:
                    fits.append((pair_fit, s, km))
        reasons.append(why)
    return fits, (None if fits else waitlist_reason(reasons))


def most_common(code: Codes) -> Unfit:
    """`rules.waitlist_reason` of these reasons: the most frequent, the first met on a
    tie; distance when there are none."""
    counts = np.bincount(code, minlength=len(REASONS))
    counts[OPEN] = 0
    if not counts.any():
        return Unfit.DISTANCE
    tied = np.flatnonzero(counts == counts.max()).tolist()
    first = {c: int(np.argmax(code == c)) for c in tied}
    reason = REASONS[min(tied, key=first.__getitem__)]
    assert reason is not None
    return reason


def _distances(
    family: Family, s: Ints, supports: Sequence[Support], cols: SupportColumns
) -> tuple[Bools, Floats, Floats, Bools]:
    """Whether both places are known, the distance (haversine as `distance_km`), the
    widest reach of the shared needs (`rules.max_km`), and whether the pair is near
    enough (same département when a place is unknown)."""
    reach = np.full(len(s), -np.inf)
    for need in family.needs:
        bit = cols.needs.bits.get(need)
        if bit:
            has = (cols.need_bits[s] & np.uint64(bit)) != 0
            reach = np.where(has, np.maximum(reach, MAX_KM.get(need, DEFAULT_MAX_KM)), reach)
    if family.location is None:
        both = np.zeros(len(s), np.bool_)
        km = np.full(len(s), np.nan)
    else:
        both = cols.located[s]
        lat, lon = family.location
        lat1, lat2 = lat * _RAD, cols.lat[s] * _RAD
        h = (
            np.sin((lat2 - lat1) / 2) ** 2
            + math.cos(lat1) * np.cos(lat2) * np.sin((cols.lon[s] - lon) * _RAD / 2) ** 2
        )
        km = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.minimum(h, 1.0)))
    near = km <= reach
    for j in np.flatnonzero(both & (np.abs(km - reach) <= BORDER_KM)).tolist():
        support = supports[int(s[j])]  # on the border: as the rules measure it
        assert family.location is not None
        assert support.location is not None
        near[j] = distance_km(family.location, support.location) <= reach[j]
    for j in np.flatnonzero(~both).tolist():  # a place unknown: the same area only
        near[j] = family.departement in supports[int(s[j])].departements
    return both, np.where(both, km, np.nan), reach, near


def _ages_meet(family: Family, s: Ints, cols: SupportColumns) -> Bools:
    """At least one child's age band meets the support's range (`rules._ages_fit`)."""
    meet = np.zeros(len(s), np.bool_)
    low, high = cols.age_low[s], cols.age_high[s]
    for band in family.age_bands:
        b_low, b_high = BAND_LIMITS.get(band, (18, 99))
        meet |= (b_low <= high) & (b_high >= low)
    return meet


def _fit(
    family: Family,
    s: Ints,
    cols: SupportColumns,
    both: Bools,
    km: Floats,
    reach: Floats,
    shared_slots: NDArray[np.uint8],
) -> tuple[Floats, Bools]:
    """`score.fit` of each pair, rounded as it rounds (`_round`), and where a rounding
    fell too near a half for the array's arithmetic to be sure of it."""
    distance = np.where(both, np.maximum(0.0, 1 - km / np.where(both, reach, 1.0)), 0.5)
    per = max(1, min(len(family.slots), 3))
    slots = np.where(cols.one_to_one[s], np.minimum(1.0, shared_slots / per), 0.5)
    others = family.languages - {"fr"}
    fr = cols.speaks_fr[s]
    if others:
        shares = (cols.language_bits[s] & np.uint64(cols.languages.mask(others))) != 0
        language = np.where(shares, 1.0, np.where(fr, 0.4, 0.0))
    else:
        language = np.where(fr, 0.8, 0.3)
    language = np.where(cols.speaks[s], language, 0.6)
    known = [cols.associations[a] for a in family.known_associations if a in cols.associations]
    continuity = np.isin(cols.association[s], known).astype(np.float64)
    capacity = cols.capacity[s]
    load = np.where(capacity <= 0, 1.0, 1 - cols.load[s] / np.maximum(capacity, 1))
    useful = [k for k, needs in SKILL_NEEDS.items() if needs & family.needs]
    skilled = (cols.skill_bits[s] & np.uint64(cols.skills.mask(useful))) != 0
    border = np.zeros(len(s), np.bool_)
    distance, slots, load = (_round(part, border) for part in (distance, slots, load))
    weighted = (  # in `score._weighted_sum`'s order, so the same sums
        _W[0] * distance + _W[1] * slots + _W[2] * language + _W[3] * continuity + _W[4] * load
    )
    weighted = _round(weighted, border)
    bonus = _round(weighted + SKILL_BONUS, border)
    result: Floats = np.minimum(1.0, np.where(skilled, bonus, weighted))
    return result, border


def _round(x: Floats, border: Bools) -> Floats:
    """`round(x, 4)` of each: the same double unless x x 10,000 lies within a millionth of
    a half (then `border` says so), where the decimal rounding may go the other way."""
    y = x * 10_000
    border |= np.abs(y - np.floor(y) - 0.5) < 1e-6
    rounded: Floats = np.rint(y) / 10_000
    return rounded
