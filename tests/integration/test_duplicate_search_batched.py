"""The duplicate searches of desks recording at once are one query to the store (real
store): each search still gets exactly the families its own hashes find, as if asked
alone, and a batch that may have been cut short by the limits is asked again search by
search."""

import asyncio
import uuid

import pytest

from entraide.contracts.vocab import RequestChannel
from entraide.intake.adapters.documents import document_of
from entraide.intake.adapters.family_store import FamilyStore
from entraide.intake.domain.family import FamilySummary
from entraide.intake.usecases.commands import Parent
from entraide.intake.usecases.recording import lookup_hashes, new_family
from tests.unit.intake.builders import details
from tests.unit.intake.fakes import FakeKeys

pytestmark = pytest.mark.store

PARENTS = [
    Parent("Amina", "Diallo", "06 12 34 56 78", "amina.diallo@example.org"),
    Parent("Amina", "Diallo", "06 99 99 99 01", None),  # the same name, another phone
    Parent("Sophie", "Martin", "06 11 22 33 44", "sophie.martin@example.org"),
    Parent("Karim", "Benali", None, "karim.benali@example.org"),
    Parent("Ioana", "Popescu", "07 01 02 03 04", None),
]


async def stored(mongo, keys: FakeKeys) -> FamilyStore:
    families = FamilyStore(mongo[f"test_similar_{uuid.uuid4().hex[:8]}"])
    await families.ensure_indexes()
    for parent in PARENTS:
        family_id = uuid.uuid4().hex
        family = new_family(
            keys,
            await keys.key_for(family_id, family_id),
            details(parent=parent),
            family_id=family_id,
            family_ref=uuid.uuid4().hex,
            association_id="parrains-par-mille",
            channel=RequestChannel.STAFF_FORM,
        )
        await families.families.insert_one(document_of(family))
    return families


def ids(found: list[FamilySummary]) -> set[str]:
    return {summary.id for summary in found}


async def test_searches_at_once_get_what_each_alone_gets(mongo) -> None:
    keys = FakeKeys()
    families = await stored(mongo, keys)
    searches = [
        *PARENTS,
        Parent("Nadia", "Inconnue", "06 00 00 00 00", None),  # finds nothing
        Parent("Luc", "Martin", None, "sophie.martin@example.org"),  # Sophie's e-mail
    ]
    alone = [ids(await families.similar(lookup_hashes(keys, p))) for p in searches]
    at_once = await asyncio.gather(*[families.similar(lookup_hashes(keys, p)) for p in searches])
    assert [ids(found) for found in at_once] == alone
    assert len(alone[0]) == 2  # both Amina Diallo
    assert alone[5] == set()
    assert alone[6] == alone[2]


async def test_a_batch_cut_short_by_the_limits_asks_each_search_alone(mongo) -> None:
    keys = FakeKeys()
    families = await stored(mongo, keys)
    amina, sophie = lookup_hashes(keys, PARENTS[0]), lookup_hashes(keys, PARENTS[2])
    # limits of 1 each: three families found for two searches, more than the limits
    at_once = await asyncio.gather(families.similar(amina, 1), families.similar(sophie, 1))
    assert [len(found) for found in at_once] == [1, 1]
    assert ids(at_once[1]) == ids(await families.similar(sophie))
