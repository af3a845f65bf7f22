"""The association's volunteers a page at a time, what waits for the coordinator first
(`domain.volunteers.roster`), with how many there are per status: only the page's
volunteers have their identity opened (one key each). The space goes by page numbers; the
API from a mark to the next (`roster.Mark`: nobody repeated nor skipped when the list
changes between two pages)."""

import math
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from entraide.directory.domain.volunteers import roster
from entraide.directory.domain.volunteers.rules import Status
from entraide.directory.usecases.ports import Roster, RosterPage, RosterQuery, VolunteerKeyStore
from entraide.directory.usecases.volunteers import staff_view
from entraide.kit.principal import Principal

Doc = dict[str, Any]


@dataclass(frozen=True)
class Listed:
    """What the space shows: the page's volunteers (identity opened), the page's number
    (1 first; past the last: the last) and how many pages, the counts."""

    volunteers: list[Doc]
    number: int
    pages: int
    total: int
    by_status: dict[str, int] = field(default_factory=dict)
    by_tier: dict[str, int] = field(default_factory=dict)


async def association_roster(
    volunteers: Roster,
    keys: VolunteerKeyStore,
    principal: Principal,
    *,
    status: Status | None,
    number: int,
    today: date,
    size: int = roster.PAGE_SIZE,
) -> Listed:
    """Page `number` of the principal's association's volunteers in their territories
    (all of them with no association: none), identity opened for those only."""
    association_id = principal.association_id
    if association_id is None:
        return Listed([], 1, 1, 0)
    asked = status.value if status else None

    async def read(number: int) -> RosterPage:
        return await volunteers.page(
            RosterQuery(
                association_id, principal.territories, asked, today, (number - 1) * size, size
            )
        )

    number = max(number, 1)
    found = await read(number)
    pages = max(1, math.ceil(found.total / size))
    if number > pages:  # past the last page (someone left meanwhile): the last one
        number = pages
        found = await read(number)
    shown = [await staff_view(keys, d) for d in found.docs]
    return Listed(shown, number, pages, found.total, found.by_status, found.by_tier)


@dataclass(frozen=True)
class Stretch:
    """What the API answers: the volunteers after a mark (identity opened), the mark after
    the last of them (None: nobody comes after), the counts."""

    volunteers: list[Doc]
    next: roster.Mark | None
    total: int
    by_status: dict[str, int] = field(default_factory=dict)
    by_tier: dict[str, int] = field(default_factory=dict)


async def roster_after(
    volunteers: Roster,
    keys: VolunteerKeyStore,
    principal: Principal,
    *,
    status: Status | None,
    after: roster.Mark | None,
    today: date,
    size: int,
) -> Stretch:
    """At most `size` of the principal's association's volunteers in their territories
    after the mark (from the first: in the order of `today`), identity opened for those
    only; none for a principal of no association, as on the space."""
    association_id = principal.association_id
    if association_id is None:
        return Stretch([], None, 0)
    day = after.day if after is not None else today
    asked = status.value if status else None
    query = RosterQuery(association_id, principal.territories, asked, day, 0, size + 1, after)
    found = await volunteers.page(query)  # one more than shown: whether any come after
    docs = found.docs[:size]
    following = roster.mark_of(docs[-1], day) if len(found.docs) > size else None
    shown = [await staff_view(keys, d) for d in docs]
    return Stretch(shown, following, found.total, found.by_status, found.by_tier)
