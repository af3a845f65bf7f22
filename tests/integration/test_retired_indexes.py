"""Indexes the services stopped creating are dropped at their start-up, so a store created
by an earlier version stops paying for them on every write; a second start-up, or a store
that never had them, finds nothing to drop. On the real store: each retired index created
as its earlier code did, then the store's own `ensure_indexes`, which leaves the indexes a
new store has, no more."""

from collections.abc import Callable
from typing import Any

import pytest
from pymongo import ASCENDING, DESCENDING

from entraide.directory.adapters.offers.listing import MongoOfferListing
from entraide.directory.adapters.volunteers.store import VolunteerStore
from entraide.intake.adapters.family_store import FamilyStore
from entraide.matching.adapters.matches import MatchStore

A, D = ASCENDING, DESCENDING
UNIQUE = {"unique": True}
LEASED = ([("_id", A), ("lease_owner", A)], UNIQUE)  # the marks', before d167e67/41d6096
Index = tuple[list[tuple[str, int]], dict[str, bool]]  # keys and options, as created then

# the store, and the indexes its earlier code created, by collection
RETIRED: dict[str, tuple[Callable[[Any], Any], dict[str, list[Index]]]] = {
    "intake families": (FamilyStore, {"families": [LEASED]}),
    "matching": (
        MatchStore,
        {
            "matches": [
                ([("_id", A), ("state", A)], UNIQUE),  # 41d6096
                LEASED,
                ([("open_request_id", A)], {"unique": True, "sparse": True}),  # fdbf530
                ([("association_id", A), ("state", A)], {}),  # 61254f0
                ([("association_id", A), ("state", A), ("closed_at", D)], {}),  # 71888fa
            ],
            "places": [([("_id", A), ("v", A)], UNIQUE)],  # 41d6096
            "waitlist": [([("departement", A)], {})],  # 4610393
        },
    ),
    "directory offers": (MongoOfferListing, {"offers": [([("association_id", A)], {})]}),  # 4af79a9
    "directory volunteers": (  # eaae97f: the owed news's pass, before its marker
        VolunteerStore,
        {"volunteers": [([("news_owed.since", A)], {"sparse": True})]},
    ),
}


@pytest.mark.parametrize("name", list(RETIRED))
async def test_indexes_no_longer_created_are_dropped_at_start_up(mongo, unique, name) -> None:
    store_of, retired = RETIRED[name]
    db, new = mongo[f"test_retired_{unique}"], mongo[f"test_retired_new_{unique}"]
    names: dict[str, str] = {}
    for collection, indexes in retired.items():
        for keys, options in indexes:
            names[await db[collection].create_index(keys, **options)] = collection

    await store_of(db).ensure_indexes()

    after = {c: set(await db[c].index_information()) for c in retired}
    assert not {n for n, c in names.items() if n in after[c]}, after
    await store_of(new).ensure_indexes()  # a store that never had them, then started again
    await store_of(new).ensure_indexes()
    made = {c: set(await new[c].index_information()) for c in retired}
    assert after == {c: made[c] or {"_id_"} for c in retired}, "what a new store has"

    await store_of(db).ensure_indexes()  # the next start-up

    assert {c: set(await db[c].index_information()) for c in retired} == after
