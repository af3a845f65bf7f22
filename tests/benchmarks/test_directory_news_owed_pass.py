"""Benchmark: directory's owed-news pass reads the volunteers whose status's news is still
owed, every 5 minutes, among all the volunteers, against baselines measured in the same run.

    ENTRAIDE_BENCH_VOLUNTEERS (default 100000): volunteers in the store, a batch owed

The store holds VOLUNTEERS volunteers (every status, their news told), OWED of them with
their news still owed (the notifier away: the pass's whole batch), noted by applications
written through the store as directory writes them. The figure is the pass's read
(`MongoVolunteers.owing_news`, by the owed volunteers' marker under a unique sparse index),
median and p99 of SAMPLES reads after a process's first (which also marks the notes the
earlier code wrote: one scan, measured apart). Baselines, the same documents read in the
same rounds, each decoded as the pass does:

- the scan: the note's field, `{news_owed: {$exists: true}}`, oldest first, as the pass
  read it before the marker (eaae97f). On mongo-java-server a filter is served by an index
  only if the index is unique, so this reads every volunteer;
- the floor: a find by `_id` of the owed volunteers' ids, the fastest read the store has.

The headline is the pass's read as a share of the scan; the floor shows how far it is from
the best the store can do. No bound in milliseconds: the machine is shared."""

import os
from datetime import UTC, datetime, timedelta
from typing import Any

from entraide.directory.adapters.offers.store import OfferStore
from entraide.directory.adapters.unit_of_work import MongoUnitOfWork
from entraide.directory.adapters.volunteers.store import MongoVolunteers, VolunteerStore
from entraide.directory.domain.volunteers.rules import Status
from entraide.directory.domain.volunteers.volunteer import Volunteer
from entraide.directory.usecases import volunteers
from entraide.kit.outbox import DONE
from tests.benchmarks.owed_pass import side_by_side
from tests.unit.directory.fakes import FakeKeys, FakeUnitOfWork
from tests.unit.directory.test_volunteer_use_cases import FORM

VOLUNTEERS = int(os.environ.get("ENTRAIDE_BENCH_VOLUNTEERS", "100000"))
OWED, BATCH = 100, 1000
NAME = "directory owed-news pass"
SCAN = "scan by the note (`news_owed` $exists), the read before the marker"
STATUSES = (Status.APPLIED, Status.IN_REVIEW, Status.APPROVED, Status.PAUSED, Status.DECLINED)
NOW = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


async def a_volunteer() -> dict[str, Any]:
    """One real volunteer's document (sealed identity), the model of the others."""
    uow = FakeUnitOfWork()
    volunteer_id = await volunteers.apply(uow, FakeKeys(), FORM)
    return uow.volunteers.stored[volunteer_id].state()


def nth(model: dict[str, Any], i: int) -> dict[str, Any]:
    changed = NOW - timedelta(days=i % 300)
    status = STATUSES[i % len(STATUSES)].value
    ids = {"_id": f"volunteer-{i:07d}", "volunteer_ref": f"ref-{i:07d}"}
    return model | ids | {"status": status, "updated_at": changed} | DONE


async def test_the_owed_news_pass_reads_a_batch_among_100_000_volunteers(mongo, unique) -> None:
    db = mongo[f"bench_directory_news_{unique}"]
    store = VolunteerStore(db)
    await store.ensure_indexes()
    model = await a_volunteer()
    for start in range(0, VOLUNTEERS, BATCH):
        batch = [nth(model, i) for i in range(start, min(start + BATCH, VOLUNTEERS))]
        await store.collection.insert_many(batch)
    uow, keys = MongoUnitOfWork(OfferStore(db), store, lambda: None), FakeKeys()
    ids = sorted([await volunteers.apply(uow, keys, FORM) for _ in range(OWED)])
    owing = MongoVolunteers(store)

    async def read(query: dict, sort: str | None = None) -> list[Volunteer]:
        found = store.collection.find(query, {"outbox": 0})
        found = found.sort(sort, 1) if sort else found
        return [Volunteer.from_state(doc) async for doc in found.limit(OWED)]

    await side_by_side(
        NAME,
        marker=("owing_news()", lambda: owing.owing_news(OWED)),
        scan=(SCAN, lambda: read({"news_owed": {"$exists": True}}, "news_owed.since")),
        floor=lambda: read({"_id": {"$in": ids}}),
        expected=ids,
        among=f"among {VOLUNTEERS:,} volunteers ({OWED} owed)",
    )
