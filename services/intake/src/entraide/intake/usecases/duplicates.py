"""Possible duplicates of families recorded by partners: flagged, never merged.

Staff confirm a family is another one (the pages' checkbox, the API's `confirm_new`);
a partner cannot, so its families are recorded anyway, flagged with the families already
known by the same name, phone or e-mail, for staff to check on the record. The flag is
set before the write, in the same document write as the family.
"""

from entraide.intake.domain.family import Family
from entraide.intake.usecases.ports import Families, UnitOfWork

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
    by_hash: dict[str, list[str]] = {}  # each hash's families, so a family meets only its own
    for family_id, theirs in known.items():
        for h in theirs:
            by_hash.setdefault(h, []).append(family_id)
    for family in new:
        others: set[str] = set()
        for h in family.lookup:
            others.update(by_hash.get(h, ()))
        others.discard(family.id)
        flagged = sorted(set(family.possible_duplicates) | others)
        family.possible_duplicates = flagged[:LIMIT_PER_FAMILY]  # as many as the pages show


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
