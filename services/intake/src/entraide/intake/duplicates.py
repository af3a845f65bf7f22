"""Possible duplicates of families recorded by partners: flagged, never merged.

Staff confirm a family is another one (the pages' checkbox, the API's `confirm_new`);
a partner cannot, so its families are recorded anyway, flagged with the families already
known by the same name, phone or e-mail, for staff to check on the record. The flag is
set before the write, in the same document write as the family.
"""

from entraide.intake.model import Family
from entraide.intake.ports import Families, UnitOfWork

LIMIT_PER_FAMILY = 20  # as many as the pages' duplicate search shows
CHUNK = 500  # hashes per query


async def flag(families: Families, new: list[Family]) -> None:
    """Set each new family's possible duplicates: the families known, or new beside it,
    sharing one of its duplicate-search hashes (a query per 500 hashes of the batch)."""
    hashes = sorted({h for family in new for h in family.lookup})
    if not hashes:
        return
    known: dict[str, list[str]] = {}
    for start in range(0, len(hashes), CHUNK):  # a long $in costs far more on mongo-java-server
        chunk = hashes[start : start + CHUNK]
        known |= await families.lookups(chunk, limit=LIMIT_PER_FAMILY * len(chunk))
    known |= {family.id: family.lookup for family in new}
    for family in new:
        mine = set(family.lookup)
        others = [fid for fid, theirs in known.items() if fid != family.id and mine & set(theirs)]
        family.possible_duplicates = sorted(set(family.possible_duplicates) | set(others))


class Flagging:
    """A unit of work that flags new families' possible duplicates before writing them
    (the partner doors'); the rest goes to the unit of work it wraps."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    @property
    def families(self) -> Families:
        return self._uow.families

    async def add(self, family: Family) -> Family:
        await flag(self._uow.families, [family])
        return await self._uow.add(family)

    async def add_many(self, families: list[Family]) -> list[Family]:
        await flag(self._uow.families, families)
        return await self._uow.add_many(families)

    async def commit(self, family: Family) -> None:
        await self._uow.commit(family)
