"""Benchmark: matching's scheduler round optimises one region at a time (96dc5a8), against
the same optimiser handed every waiting family at once, on the same data in the same run.

    ENTRAIDE_BENCH_ROUND_FAMILIES (default 8000, about 2 minutes; 20000 about 4): waiting
    families, 90 % of them in the five founding territories; volunteers 15 % as many
    (ENTRAIDE_BENCH_ROUND_VOLUNTEERS)

Two cases on the slot's store: volunteers with free places (1 or 2 each: a few families
proposed to, most waitlisted), then every place taken (nobody fits: all waitlisted). In
each, the round by region (`Engine.rebalance`) and its baseline, one flow over the
country: the engine's own reading and flow (`_optimise`) handed every waiting family as a
single region, as the round did before 96dc5a8. Each runs once timed (places free only),
once under tracemalloc (its peak above what the process held before: the support pool is
built beforehand, once a process in the service). Figures: peak memory and wall time by
region as shares of the baseline's, target memory <= 0.5 x the baseline's; the largest
region's families beside those handed to a flow (what bounds the round's memory).
The only asserts are correctness: as many proposals, the same families in crisis served,
as many waitlisted. No bound in seconds: the machine is shared."""

import gc
import os
import random
import time
import tracemalloc
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from entraide.matching.adapters.matches import MatchStore
from entraide.matching.adapters.requests import RequestViews
from entraide.matching.adapters.supports import ReadModelSupports
from entraide.matching.domain import assign
from entraide.matching.domain.model import Family
from entraide.matching.domain.views import request_view
from entraide.matching.usecases import engine as batch
from entraide.matching.usecases.engine import HALF_WRITTEN_AFTER, Engine
from entraide.matching.usecases.pool import SupportPool
from tests.benchmarks import matching_data as data
from tests.benchmarks.record import record
from tests.benchmarks.test_matching import founding_postal_codes
from tests.matching_support import request

FAMILIES = int(os.environ.get("ENTRAIDE_BENCH_ROUND_FAMILIES", "8000"))
VOLUNTEERS = int(os.environ.get("ENTRAIDE_BENCH_ROUND_VOLUNTEERS", str(FAMILIES * 3 // 20)))
NAME = "matching round by region"
BASELINE = "one flow over the country: the same optimiser handed every waiting family"
SHARE = 0.5  # of the baseline's peak: a round holds its largest region, not the country
ELSEWHERE = ["13", "31", "33", "69", "67", "35", "34", "06"]
KEPT = {"requests", "volunteers"}  # the round's input; every other collection is its work


def _elsewhere(rng: random.Random) -> str:
    return f"{rng.choice(ELSEWHERE)}{rng.randint(0, 9)}{rng.choice(['00', '10', '20'])}"


async def _load(db: Any) -> None:
    """Volunteers and waiting families' requests in matching's read models."""
    rng = random.Random(5)
    codes = founding_postal_codes()
    volunteers = []
    for i in range(VOLUNTEERS):
        postal_code = rng.choice(codes) if rng.random() < 0.85 else _elsewhere(rng)
        capacity = rng.choice((1, 1, 2))
        volunteers.append(data.volunteer_document(rng, i, postal_code, capacity))
    await db["volunteers"].insert_many(volunteers)
    views = []
    for _ in range(FAMILIES):
        r = request(
            postal_code=rng.choice(codes) if rng.random() < 0.9 else _elsewhere(rng),
            needs=(rng.choices(data.NEEDS, data.NEED_WEIGHTS)[0],),
            urgency=rng.choices(["low", "medium", "high", "critical"], (40, 35, 20, 5))[0],
            waited=timedelta(minutes=rng.uniform(0, 50 * 24 * 60)),
        )
        views.append({"_id": r.request_id, **request_view(r, event_id=uuid.uuid4().hex)})
    for start in range(0, len(views), 5000):
        await db["requests"].insert_many(views[start : start + 5000])


async def one_flow(engine: Engine) -> int:
    """The baseline: the round as before 96dc5a8, every waiting family read, then one flow
    over them all (the engine's own, handed them as a single region)."""
    ids = await engine._unplaced()
    pool = await engine.pool.current()
    pool.settle(await engine.store.heal(HALF_WRITTEN_AFTER))
    waitlist = batch._Waitlist(engine.store)
    made = await engine._optimise(ids, engine.clock(), waitlist)
    await waitlist.flush()
    await engine.ended_meanwhile(made)
    return len(made)


async def _round(db: Any, run: Callable[[Engine], Awaitable[int]], traced: bool) -> dict:
    """One round from the loaded requests (the previous round's work dropped): its time or
    its peak memory, what it did, and the families handed to each flow."""
    for name in set(await db.list_collection_names()) - KEPT:
        await db.drop_collection(name)
    views, store = RequestViews(db), MatchStore(db)
    await views.ensure_indexes()
    await store.ensure_indexes()
    pool = SupportPool(ReadModelSupports(db), store)
    now = datetime.now(UTC)
    engine = Engine(views, store, pool, clock=lambda: now)
    await pool.current()  # built once a process, not each round: outside both measures
    handed: list[int] = []
    optimise = assign.optimise

    def counted(families: list[Family], *args: Any) -> dict[int, assign.Edge]:
        handed.append(len(families))
        return optimise(families, *args)

    assign.optimise = counted
    gc.collect()
    if traced:
        tracemalloc.start()
        held = tracemalloc.get_traced_memory()[0]
    try:
        started = time.perf_counter()
        proposed = await run(engine)
        took = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1] - held if traced else 0
    finally:
        tracemalloc.stop()
        assign.optimise = optimise
    crises = {
        d["request_id"]
        async for d in db["matches"].find({"urgency": "critical"}, {"request_id": 1})
    }
    return {
        "proposed": proposed,
        "waiting": await store.waiting_count(),
        "crises": crises,
        "s": took,
        "mib": peak / 2**20,
        "handed": handed,
    }


async def _case(db: Any, case: str, timed: bool) -> tuple[dict, dict]:
    """By region and one flow, traced (and timed before, if `timed`); the same outcome."""
    rounds: dict[str, dict] = {}
    for traced in (False, True) if timed else (True,):
        for mode, run in (("region", Engine.rebalance), ("global", one_flow)):
            done = await _round(db, run, traced)
            if mode in rounds:
                assert done["crises"] == rounds[mode]["crises"]
                rounds[mode]["mib"] = done["mib"]
            else:
                rounds[mode] = done
    region, whole = rounds["region"], rounds["global"]
    took = lambda r: f"{r['s']:.1f} s, " if timed else ""  # noqa: E731
    print(
        f"\nmatching round, {case}: by region {took(region)}peak {region['mib']:.1f} MiB "
        f"(largest flow {max(region['handed'], default=0)} families, {len(region['handed'])} "
        f"flows); one flow {took(whole)}peak {whole['mib']:.1f} MiB "
        f"({sum(whole['handed'])} families); {region['proposed']} proposals "
        f"({len(region['crises'])} in crisis), {region['waiting']} waitlisted"
    )
    assert region["proposed"] == whole["proposed"]
    assert region["crises"] == whole["crises"]
    assert region["waiting"] == whole["waiting"]
    return region, whole


async def test_the_round_by_region_holds_a_region_not_the_country(mongo, unique) -> None:
    db = mongo[f"bench_round_{unique}"]
    try:
        await _load(db)
        region, whole = await _case(db, "places free", timed=True)
        await db["volunteers"].update_many({}, {"$set": {"capacity": 0}})
        full, full_whole = await _case(db, "every place taken", timed=False)
    finally:
        await mongo.drop_database(db.name)
    largest, flowing = max(region["handed"]), sum(region["handed"])
    notes = (
        f"{FAMILIES} waiting (90 % in the five territories), {VOLUNTEERS} volunteers; "
        f"places free: {region['proposed']} proposals, {flowing} families with a candidate "
        f"in {len(region['handed'])} flows, the largest {largest} ({largest / flowing:.0%}); "
        f"every place taken (all waitlisted, no flow): by region {full['mib']:.1f} MiB, one "
        f"flow {full_whole['mib']:.1f} MiB"
    )
    share = region["mib"] / whole["mib"]
    record(
        NAME,
        "peak memory of a round, places free (tracemalloc)",
        region["mib"],
        "MiB",
        baseline=whole["mib"],
        baseline_name=BASELINE,
        target=f"<= {SHARE} x the baseline's",
        met=share <= SHARE,
        share=share,
        largest_region_share=largest / flowing,
        notes=notes,
    )
    record(
        NAME,
        "wall time of a round, places free",
        region["s"],
        "s",
        baseline=whole["s"],
        baseline_name=BASELINE,
        share=region["s"] / whole["s"],
        notes=notes,
    )
    record(
        NAME,
        "peak memory of a round, every place taken (tracemalloc)",
        full["mib"],
        "MiB",
        baseline=full_whole["mib"],
        baseline_name=BASELINE,
        target=f"<= {SHARE} x the baseline's",
        met=full["mib"] <= SHARE * full_whole["mib"],
        share=full["mib"] / full_whole["mib"],
        notes=notes,
    )
