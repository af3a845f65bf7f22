"""The duplicate search against the real store: through its index collection (the store
here scans for a normal index), the searches of desks recording at once are one pass,
each search still getting exactly the families its own hashes find, as if asked alone;
the index is built once for families recorded before it, says no more than the families'
own hashes, and keeps nothing of an erased family. The families a contact finds give
their references in one read (privacy's contact lookup)."""

import asyncio
import uuid

import pytest
from pymongo import AsyncMongoClient, monitoring

from entraide.intake.adapters.documents import document_of
from entraide.intake.adapters.family_store import FamilyStore
from entraide.intake.domain.family import FamilySummary
from entraide.intake.usecases.commands import Parent
from entraide.intake.usecases.recording import lookup_hashes
from tests.unit.intake.builders import family_of
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
    for parent in PARENTS:
        family = await family_of(keys, parent)
        await families.families.insert_one(document_of(family))  # before the index existed
    await families.ensure_indexes()  # builds it
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


async def test_limits_apply_to_each_search(mongo) -> None:
    keys = FakeKeys()
    families = await stored(mongo, keys)
    amina, sophie = lookup_hashes(keys, PARENTS[0]), lookup_hashes(keys, PARENTS[2])
    at_once = await asyncio.gather(families.similar(amina, 1), families.similar(sophie, 1))
    assert [len(found) for found in at_once] == [1, 1]
    assert ids(at_once[1]) == ids(await families.similar(sophie))


async def test_a_rectified_name_is_not_found_by_the_old_one(mongo) -> None:
    keys = FakeKeys()
    families = await stored(mongo, keys)
    karim = PARENTS[3]
    (found,) = await families.similar(lookup_hashes(keys, karim))
    renamed = Parent("Karim", "Benali-Haddad", None, "k.haddad@example.org")
    await families.families.update_one(
        {"_id": found.id}, {"$set": {"lookup": lookup_hashes(keys, renamed)}}
    )
    await families.lookup.add([(found.id, lookup_hashes(keys, renamed))])
    assert await families.similar(lookup_hashes(keys, karim)) == []
    assert ids(await families.similar(lookup_hashes(keys, renamed))) == {found.id}


async def test_erasure_leaves_no_hash_of_the_family(mongo) -> None:
    keys = FakeKeys()
    families = await stored(mongo, keys)
    (sophie,) = await families.similar(lookup_hashes(keys, PARENTS[2]))
    amina_ids = ids(await families.similar(lookup_hashes(keys, PARENTS[0])))
    assert await families.delete(sophie.id) == 1
    hashes = lookup_hashes(keys, PARENTS[2])
    assert await families.lookup.entries.count_documents({"_id": {"$in": hashes}}) == 0
    assert await families.lookup.entries.count_documents({"families": sophie.id}) == 0
    gone = amina_ids.pop()
    await families.delete(gone)  # one Amina Diallo erased: the name's hash stays for the other
    assert ids(await families.similar(lookup_hashes(keys, PARENTS[0]))) == amina_ids


class Finds(monitoring.CommandListener):
    """The commands sent to the families' collection, whole."""

    def __init__(self) -> None:
        self.sent: list[dict] = []

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        if event.command.get(event.command_name) == "families":
            self.sent.append(dict(event.command))

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None: ...

    def failed(self, event: monitoring.CommandFailedEvent) -> None: ...


async def test_the_references_of_the_families_found_are_one_read(infra) -> None:
    """The contact lookup read each family found whole, one `find_one` each (up to 20)."""
    finds = Finds()
    client: AsyncMongoClient = AsyncMongoClient(infra.mongodb_uri, event_listeners=[finds])
    keys = FakeKeys()
    try:
        families = await stored(client, keys)
        found = await families.lookups(lookup_hashes(keys, PARENTS[0]))  # both Amina Diallo
        assert len(found) == 2
        finds.sent.clear()

        refs = await families.refs([*found, "no-such-family"])

        assert [(c["find"], c["filter"], c["projection"]) for c in finds.sent] == [
            ("families", {"_id": {"$in": [*found, "no-such-family"]}}, {"family_ref": 1})
        ]
        for family_id in found:
            doc = await families.families.find_one({"_id": family_id}, {"family_ref": 1})
            assert refs[family_id] == doc["family_ref"]
        assert set(refs) == set(found), "a family not stored has no reference"
        finds.sent.clear()
        assert await families.refs([]) == {}
        assert finds.sent == [], "nothing asked, nothing read"
    finally:
        await client.close()
