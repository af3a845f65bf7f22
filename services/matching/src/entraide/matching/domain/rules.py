"""The hard rules: a support may be proposed to a family only if none of them says no.

Each rule names its reason, so a family nobody fits is waitlisted with the reason that
stopped most candidates: the network's data on unmet needs.
"""

import math
from collections import Counter
from collections.abc import Iterable
from datetime import date, timedelta
from enum import StrEnum
from typing import NamedTuple

from entraide.contracts.geography import distance_km
from entraide.matching.domain.model import Family, Support

# How far a family can be from its support, by need: a sponsor or a baby-sitter must live
# near; listening and rights advice work at a distance.
MAX_KM = {
    "parrainage-de-proximite": 15.0,
    "grand-parrainage": 20.0,
    "accompagnement-scolaire": 10.0,
    "soutien-a-la-parentalite": 25.0,
    "repit-garde-ponctuelle": 10.0,
    "activites-et-lien-social": 20.0,
    "acces-aux-droits": 40.0,
    "ecoute": 60.0,
}
DEFAULT_MAX_KM = 20.0
# an ongoing support's card says its volunteer's check expires this close (/suivis)
CHECK_NOTICE = timedelta(days=30)
DAY = timedelta(days=1)
BAND_LIMITS = {"0-2": (0, 2), "3-5": (3, 5), "6-10": (6, 10), "11-14": (11, 14), "15-17": (15, 17)}


class Unfit(StrEnum):
    """Why a support cannot be proposed to a family (French labels in the pages)."""

    NO_CONSENT = "no-consent"
    INACTIVE = "support-inactive"
    NEED = "need-not-covered"
    DISTANCE = "too-far"
    CAPACITY = "no-capacity"
    SLOT = "no-shared-slot"
    AGE = "children-ages-outside-range"
    HONORABILITY = "honorability-check-missing"
    DECLINED = "declined-before"


def max_km(family: Family, support: Support) -> float:
    """The widest distance any shared need allows."""
    shared = family.needs & support.needs
    if len(shared) == 1:  # the common case, measured for every pair considered
        return MAX_KM.get(next(iter(shared)), DEFAULT_MAX_KM)
    return max((MAX_KM.get(n, DEFAULT_MAX_KM) for n in shared), default=DEFAULT_MAX_KM)


def unfit(
    family: Family, support: Support, *, today: date, declined: frozenset[str] = frozenset()
) -> Unfit | None:
    """The first hard rule this pair breaks, or None when it may be proposed.

    `declined` holds the keys of supports this family's request was declined with.
    """
    if not family.consent:
        return Unfit.NO_CONSENT
    return support_unfit(support, today) or pair_check(family, support, declined)[0]


def support_unfit(support: Support, today: date) -> Unfit | None:
    """The rules about the support alone (checked once per support in a batch)."""
    if not support.active:
        return Unfit.INACTIVE
    if support.is_volunteer and not check_holds(support.honorability_valid_until, today):
        return Unfit.HONORABILITY
    if support.free == 0:
        return Unfit.CAPACITY
    return None


def check_holds(valid_until: date | None, today: date) -> bool:
    """A volunteer's honorability check is valid `today` (a Paris day): through the day
    it names; none known, never."""
    return valid_until is not None and valid_until >= today


class CheckLapsedError(Exception):
    """A volunteer whose honorability check no longer holds may not be accepted or start
    with a family (`until`: the last day it was valid; None: none known)."""

    def __init__(self, until: date | None) -> None:
        super().__init__("honorability check lapsed")
        self.until = until


def check_lapsed(support: Support, today: date) -> CheckLapsedError | None:
    """Why a decision on this support must be refused `today`, if its check lapsed."""
    if support.is_volunteer and not check_holds(support.honorability_valid_until, today):
        return CheckLapsedError(support.honorability_valid_until)
    return None


def check_lapsed_lately(support: Support, today: date, open_for: timedelta) -> bool:
    """A volunteer whose check no longer holds `today` (`check_lapsed`), lately enough that
    a proposal made while it held may still be open (`open_for`: how long one stays open,
    a day more for the Paris day's bounds), or who has none known."""
    if check_lapsed(support, today) is None:
        return False
    until = support.honorability_valid_until
    return until is None or until >= today - timedelta(days=math.ceil(open_for / DAY) + 1)


class CheckNotice(NamedTuple):
    """What an ongoing support says of its volunteer's check: expired (or none known) or
    expiring, and its last valid day."""

    expired: bool
    until: date | None


def check_notice(valid_until: date | None, today: date) -> CheckNotice | None:
    """The notice a volunteer's ongoing support shows: their check expired, or expires
    within `CHECK_NOTICE`; None when it holds longer."""
    if valid_until is not None and valid_until > today + CHECK_NOTICE:
        return None
    return CheckNotice(not check_holds(valid_until, today), valid_until)


def pair_check(
    family: Family, support: Support, declined: frozenset[str] = frozenset()
) -> tuple[Unfit | None, float | None]:
    """The rules about the pair, and the distance when both places are known."""
    if not family.needs & support.needs:
        return Unfit.NEED, None
    if support.key in declined:
        return Unfit.DECLINED, None
    if support.one_to_one and not family.slots & support.slots:
        return Unfit.SLOT, None
    km = None
    if family.location is not None and support.location is not None:
        km = distance_km(family.location, support.location)
        if km > max_km(family, support):
            return Unfit.DISTANCE, km
    elif family.departement not in support.departements:  # unknown place: same area only
        return Unfit.DISTANCE, None
    if not _ages_fit(family, support):
        return Unfit.AGE, km
    return None, km


def waitlist_reason(reasons: Iterable[Unfit | None]) -> Unfit:
    """Why nobody fits: the rule that stopped the most candidates (none at all: distance)."""
    counted = Counter(r for r in reasons if r is not None and r is not Unfit.NO_CONSENT)
    return counted.most_common(1)[0][0] if counted else Unfit.DISTANCE


def _ages_fit(family: Family, support: Support) -> bool:
    """At least one child's age band meets the support's range (no range: any age)."""
    if support.age_min is None and support.age_max is None:
        return True
    low, high = support.age_min or 0, support.age_max if support.age_max is not None else 99
    for band in family.age_bands:
        b_low, b_high = BAND_LIMITS.get(band, (18, 99))
        if b_low <= high and b_high >= low:
            return True
    return False
