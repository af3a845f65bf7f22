"""The observatory's roll-over (at every refresh, 5 minutes) walks every supplier and every
open application on the real store through one query each, a chunk at a time, each chunk
read by `_id` as it is handed over: one query a chunk (the next page after an id) was a
scan and a sort of the collection each on mongo-java-server (7 s a walk at 20,000
suppliers, 37 to 49 s at 60,000)."""

import uuid
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from pymongo import AsyncMongoClient

from entraide.observatory.adapters.store import MongoApplicants, MongoSuppliers
from entraide.observatory.domain.applications import Applicant
from entraide.observatory.domain.supply import Supplier, SupplierKind
from tests.store_walks import Walks

CHUNK = 50
MANY = 2 * CHUNK + 1  # three chunks


def offer(month: str) -> Supplier:
    key = uuid.uuid4().hex
    return Supplier(SupplierKind.OFFER, key, "afev", ("44",), ("parrainage-de-proximite",), 2, months=(month,))  # fmt: skip


def applicant(status: str) -> Applicant:
    return Applicant(uuid.uuid4().hex, "afev", "44", ("ecoute",), status, "pending", "2026-11")


async def test_the_roll_over_walks_suppliers_and_applications_once_each(infra, unique) -> None:
    walks = Walks()
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(
        infra.mongodb_uri, tz_aware=True, event_listeners=[walks]
    )
    db = client[f"test_observatory_walks_{unique}"]
    suppliers, applicants = MongoSuppliers(db), MongoApplicants(db)
    await suppliers.ensure_indexes()
    await applicants.ensure_indexes()
    month = datetime.now(UTC).strftime("%Y-%m")
    offers = [offer("2026-10") for _ in range(MANY)]
    await suppliers.save({(s.kind, s.key): s for s in offers})
    open_ = [applicant("submitted") for _ in range(MANY)]
    await applicants.save({a.volunteer_ref: a for a in [*open_, applicant("declined")]})
    walks.by_collection.clear()

    seen: list[Supplier] = []
    gone: Supplier | None = None
    async for chunk in suppliers.every(CHUNK):  # each chunk carried as the roll-over does
        seen += chunk
        await suppliers.save({(s.kind, s.key): replace(s, months=(month,)) for s in chunk})
        if gone is None:  # an offer withdrawn meanwhile, not handed over yet
            gone = next(s for s in offers if s not in chunk)
            await suppliers.save({(gone.kind, gone.key): None})
    refs = [a.volunteer_ref async for chunk in applicants.open(CHUNK) for a in chunk]

    assert sorted(s.key for s in seen) == sorted(s.key for s in offers if s != gone)
    assert all(s.months == ("2026-10",) for s in seen), "each as it was when handed over"
    assert sorted(refs) == sorted(a.volunteer_ref for a in open_)
    assert walks.by_collection == {"suppliers": 1, "applicants": 1}
    await client.drop_database(db.name)
    await client.close()
