"""The kit's bulk writes on the real store: the positions refused by a unique key come
back, everything else of the batch is written, the upserts are told apart."""

from pymongo import UpdateOne

from entraide.kit.bulk import inserted_but, written_but


async def test_an_insert_batch_writes_the_new_and_names_the_duplicates(mongo, unique) -> None:
    collection = mongo[f"test_bulk_{unique}"]["docs"]
    await collection.insert_one({"_id": "b"})
    refused = await inserted_but(collection, [{"_id": "a"}, {"_id": "b"}, {"_id": "c"}])
    assert refused == {1}
    assert sorted([d["_id"] async for d in collection.find()]) == ["a", "b", "c"]
    assert await inserted_but(collection, [{"_id": "d"}]) == set()


async def test_a_write_batch_tells_upserts_from_refusals(mongo, unique) -> None:
    collection = mongo[f"test_bulk_{unique}"]["docs"]
    await collection.insert_one({"_id": "full", "n": 5})
    ops = [
        UpdateOne({"_id": "new", "n": {"$lt": 1}}, {"$set": {"n": 1}}, upsert=True),
        UpdateOne({"_id": "full", "n": {"$lt": 5}}, {"$set": {"n": 5}}, upsert=True),
        UpdateOne({"_id": "full", "n": {"$lt": 9}}, {"$set": {"n": 9}}, upsert=True),
    ]
    upserted, refused = await written_but(collection, ops)
    assert (upserted, refused) == ({0}, {1})  # the guard failed: the upsert met the _id
    assert (await collection.find_one({"_id": "full"}))["n"] == 9
