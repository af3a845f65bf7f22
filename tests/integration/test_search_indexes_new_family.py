"""The staff API's duplicate search lists the new family in the duplicate-search index by
the same write, against the real store: a new parent's hashes are inserted by the search
(nothing else read), the family's own write adds nothing to the index, a known parent's
hashes are read and get the family once it is recorded, and a family refused as a
possible duplicate (409) leaves no trace in the index nor a key."""

import uuid

import pytest
from pymongo import AsyncMongoClient, monitoring

from entraide.intake.adapters.documents import document_of
from entraide.intake.adapters.family_store import FamilyStore
from entraide.intake.app import create_app as intake_app
from entraide.intake.usecases.casework import Casework
from entraide.intake.usecases.commands import Parent
from entraide.intake.usecases.recording import lookup_hashes
from entraide.kit.deps import lookup
from tests.support import request_body, serving
from tests.unit.intake.builders import family_of
from tests.unit.intake.fakes import FakeKeys

pytestmark = pytest.mark.store


class Commands(monitoring.CommandListener):
    """The commands sent, as (name, collection)."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        self.sent.append((event.command_name, str(event.command.get(event.command_name))))

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None: ...

    def failed(self, event: monitoring.CommandFailedEvent) -> None: ...


async def test_the_search_indexes_the_new_family_and_its_write_adds_nothing(infra) -> None:
    commands = Commands()
    client: AsyncMongoClient = AsyncMongoClient(infra.mongodb_uri, event_listeners=[commands])
    families = FamilyStore(client[f"test_search_index_{uuid.uuid4().hex[:8]}"])
    await families.ensure_indexes()
    keys = FakeKeys()
    amina = Parent("Amina", "Diallo", "06 12 34 56 78", "amina.diallo@example.org")
    amina_hashes = lookup_hashes(keys, amina)
    try:
        commands.sent.clear()
        assert await families.similar(amina_hashes, indexing="family-1") == []
        assert commands.sent == [("insert", "family_lookup")], "nothing read: all new"
        listed = await families.lookup.candidates(amina_hashes, 50)
        assert listed == {h: ["family-1"] for h in amina_hashes}  # before its own write
        commands.sent.clear()
        await families.lookup.add([("family-1", amina_hashes)])  # as the unit of work does
        assert commands.sent == []
        await families.families.insert_one(document_of(await family_of(keys, amina, "family-1")))

        # the same parent again: the known hashes are read, the family found
        [found] = await families.similar(amina_hashes, indexing="family-2")
        assert found.id == "family-1"
        await families.lookup.add([("family-2", amina_hashes)])  # recorded (confirmed)
        listed = await families.lookup.candidates(amina_hashes, 50)
        assert listed == {h: ["family-1", "family-2"] for h in amina_hashes}

        # another parent with Amina's phone, refused: unindexed, Amina's hashes as before
        other = Parent("Nadia", "Ben", "06 12 34 56 78", None)
        other_hashes = lookup_hashes(keys, other)
        found = await families.similar(other_hashes, indexing="family-3")
        assert [s.id for s in found] == ["family-1"]  # by the phone (family-2 never written)
        await families.unindex("family-3")
        listed = await families.lookup.candidates(other_hashes, 50)
        phone = next(h for h in other_hashes if h in amina_hashes)
        assert listed == {phone: ["family-1", "family-2"]}, "nothing of family-3 left"
    finally:
        await client.close()


async def test_a_family_refused_as_a_possible_duplicate_leaves_no_trace(
    intake_settings, mongo, staff_bearer
) -> None:
    db = mongo[intake_settings.database]
    app = intake_app(intake_settings)
    keys = lookup(app, Casework).keys

    async def keys_of_no_family() -> int:
        """Keys stored that are neither a family's nor made ahead for the next ones."""
        stored = await db["family_keys"].count_documents({})
        return stored - await db["families"].count_documents({}) - len(keys.ahead.in_stock())

    async with serving(app) as intake:
        intake.headers.update(staff_bearer)
        first = await intake.post("/api/v1/requests", json=request_body())
        assert first.status_code == 201, first.text
        entries_before = await db["family_lookup"].find({}).to_list()
        renamed = request_body()
        renamed["parent"] |= {"first_name": "Aminata", "email": "aminata@example.org"}
        again = await intake.post("/api/v1/requests", json=renamed)  # Amina's phone
        assert again.status_code == 409, again.text
        assert await db["family_lookup"].find({}).to_list() == entries_before
        assert await keys_of_no_family() == 0, "the refused family's key was destroyed"
        confirmed = await intake.post("/api/v1/requests", json=renamed | {"confirm_new": True})
        assert confirmed.status_code == 201, confirmed.text
        assert await keys_of_no_family() == 0
    family = await db["families"].find_one({"requests.request_id": confirmed.json()["request_id"]})
    for h in family["lookup"]:  # the confirmed family is listed under each of its hashes
        entry = await db["family_lookup"].find_one({"_id": h})
        assert family["_id"] in entry["families"]
    hashes = {"families": {"$exists": True}}  # not the index's marker
    assert len([e for e in entries_before if "families" in e]) == 3  # name, phone, e-mail
    assert await db["family_lookup"].count_documents(hashes) == 5  # + new name and e-mail
