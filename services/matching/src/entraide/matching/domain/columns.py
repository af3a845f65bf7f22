"""The supports as columns (numpy arrays, one row per support), so the rules and the fit
of a family's candidates are computed at once (`ranking`) rather than pair by pair.

Sets (needs, slots, languages, skills) are bit masks over a vocabulary learnt as supports
come; a vocabulary past 64 values cannot be a mask, and the columns then say they are not
`usable` (the ranking falls back to the pair-by-pair rules and score). Pure: no I/O.
"""

from collections.abc import Hashable, Iterable

import numpy as np
from numpy.typing import NDArray

from entraide.matching.domain.model import Support
from entraide.matching.domain.score import SKILL_NEEDS

Bools = NDArray[np.bool_]
Ints = NDArray[np.int64]
Masks = NDArray[np.uint64]
Floats = NDArray[np.float64]
BITS = 64
NONE = -1  # an unknown date, capacity or age
# a support's own state, as the first of `rules.support_unfit` it breaks (the codes of
# `ranking.REASONS`; the honorability, which depends on the day, is checked when ranking)
OPEN, INACTIVE, CAPACITY = 0, 1, 3


class Vocabulary:
    """A value's bit in a mask, learnt as values come (at most 64)."""

    def __init__(self, known: Iterable[Hashable] = ()) -> None:
        self.bits: dict[Hashable, int] = {}
        self.full = False
        for value in known:
            self.bit(value)

    def bit(self, value: Hashable) -> int:
        """The value's bit (learnt now if new); 0 when the vocabulary is full."""
        bit = self.bits.get(value)
        if bit is None:
            if len(self.bits) >= BITS:
                self.full = True
                return 0
            bit = self.bits[value] = 1 << len(self.bits)
        return bit

    def mask(self, values: Iterable[Hashable]) -> int:
        """The known values' bits (a value never met is in no support's mask)."""
        return sum(self.bits.get(v, 0) for v in set(values))

    def learn(self, values: Iterable[Hashable]) -> int:
        return sum(self.bit(v) for v in set(values))


class SupportColumns:
    """Every support's fields that the rules and the fit read, one row per support."""

    def __init__(self) -> None:
        self.needs, self.slots, self.languages = Vocabulary(), Vocabulary(), Vocabulary()
        self.skills = Vocabulary(SKILL_NEEDS)
        self.associations: dict[str, int] = {}
        self.keys: dict[str, set[int]] = {}  # a support's key -> its rows
        self.size = 0
        self._allocate(0)

    @property
    def usable(self) -> bool:
        return not (self.needs.full or self.slots.full or self.languages.full)

    def _allocate(self, rows: int) -> None:
        self.active: Bools = np.zeros(rows, np.bool_)
        self.state: NDArray[np.int8] = np.zeros(rows, np.int8)  # `ranking.support_reasons`
        self.volunteer: Bools = np.zeros(rows, np.bool_)
        self.one_to_one: Bools = np.zeros(rows, np.bool_)
        self.located: Bools = np.zeros(rows, np.bool_)
        self.any_age: Bools = np.zeros(rows, np.bool_)
        self.speaks: Bools = np.zeros(rows, np.bool_)  # declares languages
        self.speaks_fr: Bools = np.zeros(rows, np.bool_)
        self.honour: Ints = np.full(rows, NONE, np.int64)  # valid until (ordinal)
        self.capacity: Ints = np.full(rows, NONE, np.int64)
        self.load: Ints = np.zeros(rows, np.int64)
        self.association: Ints = np.zeros(rows, np.int64)
        self.age_low: Ints = np.zeros(rows, np.int64)
        self.age_high: Ints = np.zeros(rows, np.int64)
        self.need_bits: Masks = np.zeros(rows, np.uint64)
        self.slot_bits: Masks = np.zeros(rows, np.uint64)
        self.language_bits: Masks = np.zeros(rows, np.uint64)
        self.skill_bits: Masks = np.zeros(rows, np.uint64)
        self.lat: Floats = np.zeros(rows, np.float64)
        self.lon: Floats = np.zeros(rows, np.float64)

    def _grow(self, rows: int) -> None:
        """More rows, keeping those written."""
        names = [n for n, v in vars(self).items() if isinstance(v, np.ndarray)]
        for name in names:
            old = getattr(self, name)
            new = np.full(rows, NONE if old.dtype == np.int64 else 0, old.dtype)
            new[: len(old)] = old
            setattr(self, name, new)

    def set(self, i: int, s: Support) -> None:
        """Write (or rewrite) the row of the support at position `i`."""
        if i >= len(self.active):
            self._grow(max(16, 2 * len(self.active), i + 1))
        self.size = max(self.size, i + 1)
        self.keys.setdefault(s.key, set()).add(i)
        self.active[i], self.volunteer[i] = s.active, s.is_volunteer
        self.state[i] = INACTIVE if not s.active else CAPACITY if s.free == 0 else OPEN
        self.one_to_one[i] = s.one_to_one
        self.located[i] = s.location is not None
        if s.location is not None:
            self.lat[i], self.lon[i] = s.location
        valid = s.honorability_valid_until
        self.honour[i] = valid.toordinal() if valid else NONE
        self.capacity[i] = NONE if s.capacity is None else s.capacity
        self.load[i] = s.load
        code = self.associations.setdefault(s.association_id, len(self.associations))
        self.association[i] = code
        self.any_age[i] = s.age_min is None and s.age_max is None
        self.age_low[i] = s.age_min or 0
        self.age_high[i] = s.age_max if s.age_max is not None else 99
        self.speaks[i] = bool(s.languages)
        self.speaks_fr[i] = "fr" in s.languages
        self.need_bits[i] = self.needs.learn(s.needs)
        self.slot_bits[i] = self.slots.learn(s.slots)
        self.language_bits[i] = self.languages.learn(s.languages)
        self.skill_bits[i] = self.skills.mask(s.skills)
