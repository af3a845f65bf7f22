"""The check that keeps a service's rights handler from forgetting anyone.

Privacy's erasure and access commands reach only the collections a service declares to
name a subject (`ReferencedDocuments.refs`, each field indexed at start; `keyed`, the
collections whose `_id` is made of the reference). A collection a service writes a
reference field into without declaring it would be skipped by both, silently: an erased
person left behind. `serving` runs this check as each app that answers privacy's commands
stops, so every integration test of directory, matching and the observatory (volunteers,
matches, follow-ups, messages, observations...) checks what its flows wrote.
"""

from typing import Any

from fastapi import FastAPI
from pymongo.asynchronous.database import AsyncDatabase

from entraide.kit.rights import ReferencedDocuments


def rights_of(app: FastAPI) -> ReferencedDocuments | None:
    """The app's handler of privacy's commands, if it names subjects by reference."""
    provided: dict[type, Any] = getattr(app.state, "provided", {})
    found = [v for v in provided.values() if isinstance(v, ReferencedDocuments)]
    return found[0] if found else None


async def undeclared(db: AsyncDatabase[Any], rights: ReferencedDocuments) -> set[tuple[str, str]]:
    """(collection, field): a reference field held outside the handler's declarations
    (the collections it keeps by declaration, naming no one, apart)."""
    found: set[tuple[str, str]] = set()
    for name in await db.list_collection_names():
        if name.startswith("system.") or name in rights.keep:
            continue
        if rights.keep_prefixes and name.startswith(rights.keep_prefixes):
            continue
        declared = rights.refs.get(name, ())
        for field in rights.FIELDS:
            if field not in declared and await db[name].find_one({field: {"$exists": True}}):
                found.add((name, field))
    return found


async def unindexed(db: AsyncDatabase[Any], rights: ReferencedDocuments) -> set[tuple[str, str]]:
    """(collection, field): a declared field that leads no index of its collection."""
    missing: set[tuple[str, str]] = set()
    for name, fields in rights.refs.items():
        led = {next(iter(i["key"])) async for i in await db[name].list_indexes()}
        missing |= {(name, field) for field in fields if field not in led}
    return missing


async def assert_rights_declared(app: FastAPI) -> None:
    """Every reference field the app's flows wrote is where its handler looks, on an index."""
    rights = rights_of(app)
    if rights is None:
        return
    db = rights.db
    forgotten = await undeclared(db, rights)
    assert not forgotten, (
        f"{app.title} wrote reference fields where privacy's commands never look: "
        f"{sorted(forgotten)} (declare them in its rights handler's `refs`)"
    )
    slow = await unindexed(db, rights)
    assert not slow, f"{app.title}'s declared reference fields without an index: {sorted(slow)}"
