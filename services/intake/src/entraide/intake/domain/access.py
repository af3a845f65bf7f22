"""Who may see which family: the one place for the rule (`usecases.access` applies it to
a signed-in person).

Staff and an association's coordinator see the families their association recorded in
their territories; the network's coordinator and the data-protection officer see every
family of their territories (all of them when none is set). An accepted match shares the
family with the volunteer's or offer's association until the match ends (`sharing`).
The rule is a `Scope`, a predicate the store translates into its query for lists.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol


class Located(Protocol):
    """What the rule looks at in a family (a whole one or a summary)."""

    @property
    def association_id(self) -> str | None: ...
    @property
    def departement(self) -> str: ...
    @property
    def shared_with(self) -> Sequence[str]: ...


@dataclass(frozen=True)
class Scope:
    """The families someone may see: in these départements (all when empty), and, unless
    network-wide, recorded by or shared with this association."""

    departements: frozenset[str]
    network_wide: bool
    association_id: str | None

    def admits(self, family: Located) -> bool:
        if self.departements and family.departement not in self.departements:
            return False
        if self.network_wide:
            return True
        mine = self.association_id
        return mine is not None and (family.association_id == mine or mine in family.shared_with)


class OverrideReason(StrEnum):
    """Why a family's record is opened to an association without its consent to sharing."""

    CHILD_PROTECTION = "child-protection"  # a child in danger (information préoccupante)
    VITAL_INTEREST = "vital-interest"  # the parent's or a child's life or health at stake
    LEGAL_OBLIGATION = "legal-obligation"  # a judge's or the law's requirement
