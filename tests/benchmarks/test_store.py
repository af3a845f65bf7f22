"""Benchmark: the document-store candidates side by side, in one run, through PyMongo.

    make bench    (ENTRAIDE_BENCH_STORE_DOCS, default 100000; ENTRAIDE_BENCH_STORE_BUDGET_S,
                   the time each latency sample may take per candidate, default 8)

Each candidate starts on a free port with a state directory of its own, takes the same
load (DOCS documents of about ten fields, with a unique index on `email` and a normal
index on `ref`, by insert_many batches of 1,000) and the same operations:

- find by `_id`, by the normal index, by the unique index; update by `_id` (latency);
- 4 threads x 250 `$inc` of one document (how many of the 1,000 survive);
- the error code of a unique clash caused by an update; `find_one_and_update` with a
  projection (works or refused); a `bulk_write` of 1,000 updates (seconds, capped);
- insert throughput (the load) and the store's RSS after it;
- on a second, fresh instance: 1,000 acknowledged inserts, kill -9, restart on the same
  state directory, how many are there.

Candidates: mongo-java-server 1.47 (deploy/mongo) with its memory backend and with its
durable H2 backend (both -Xmx512m), and FerretDB 1.24.2 on SQLite (tests/benchmarks/
ferretdb, the store this project used before) for comparison. Slow operations are capped:
each latency sample stops after its time budget (at least 3 operations), the bulk write
after BULK_CAP_S; the notes say how many operations each figure rests on.
"""

import contextlib
import os
import random
import statistics
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pymongo
from pymongo import MongoClient, ReturnDocument, UpdateOne
from pymongo.errors import DuplicateKeyError, OperationFailure, PyMongoError

from tests.benchmarks import ferretdb as ferret
from tests.benchmarks.ferretdb import throwaway_ferretdb
from tests.benchmarks.record import record
from tests.infra import StoreControl, free_port

DOCS = int(os.environ.get("ENTRAIDE_BENCH_STORE_DOCS", "100000"))
BUDGET_S = float(os.environ.get("ENTRAIDE_BENCH_STORE_BUDGET_S", "8"))
BULK_CAP_S = 60.0
BATCH = 1000
DURABLE_WRITES = 1000
NAME = "document store"
HEAP = "-Xms64m -Xmx512m"


@dataclass
class Running:
    """A started candidate: where it answers, its process, and how to crash and restart it."""

    uri: str
    pid: Callable[[], int]
    kill: Callable[[], None]
    up: Callable[[], None]


@dataclass
class BenchStore(StoreControl):
    """deploy/bin/store-up with the benchmark's heap bound."""

    heap: str = HEAP

    @property
    def env(self) -> dict[str, str]:
        return super().env | {"ENTRAIDE_STORE_HEAP_OPTS": self.heap}


def _store_pid(control: StoreControl) -> int:
    return int((control.state_dir / f"store-{control.port}" / "store.pid").read_text())


def mongo_java_server(backend: str) -> Callable[[Path], contextlib.AbstractContextManager[Running]]:
    @contextlib.contextmanager
    def start(state_dir: Path) -> Iterator[Running]:
        control = BenchStore(state_dir, free_port(), backend)
        control.up()
        try:
            yield Running(
                f"mongodb://127.0.0.1:{control.port}",
                lambda: _store_pid(control),
                control.kill,
                control.up,
            )
        finally:
            control.down(purge=True)

    return start


@contextlib.contextmanager
def ferretdb(state_dir: Path) -> Iterator[Running]:
    with throwaway_ferretdb(state_dir) as server:
        yield Running(server.uri, lambda: server.pid, server.kill, server.up)


CANDIDATES: list[tuple[str, Callable[[Path], contextlib.AbstractContextManager[Running]]]] = [
    ("mongo-java-server 1.47, memory (-Xmx512m)", mongo_java_server("memory")),
    ("mongo-java-server 1.47, H2 file, commit per write (-Xmx512m)", mongo_java_server("h2")),
    ("FerretDB 1.24.2, SQLite", ferretdb),
]

NEEDS = ["parrainage-de-proximite", "repit-garde-ponctuelle", "aide-aux-devoirs", "sorties"]
START = datetime(2026, 1, 1, tzinfo=UTC)


def document(i: int) -> dict[str, Any]:
    """About ten fields, ~350 bytes: the size of a matching read model or a directory card."""
    return {
        "_id": f"doc-{i:06d}",
        "email": f"person-{i}@example.org",
        "ref": f"ref-{i // 2:06d}",  # the normal index: two documents a value
        "name": f"Famille {i}",
        "postal_code": f"{44000 + i % 300:05d}",
        "departement": ["44", "59", "58", "75", "93"][i % 5],
        "urgency": ["low", "medium", "high"][i % 3],
        "needs": NEEDS[: 1 + i % len(NEEDS)],
        "children": [2015 + i % 10, 2019 + i % 6],
        "created_at": START + timedelta(minutes=i),
        "count": 0,
        "notes": "Texte libre de quelques mots, pour donner au document une taille réaliste.",
    }


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def pct(values: list[float], q: int) -> float:
    """Inclusive: with few samples the p99 stays within what was measured."""
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def sample(op: Callable[[int], object], keys: list[int], budget: float = BUDGET_S) -> list[float]:
    """Latencies (ms) of `op` over `keys`, stopping once the budget is spent (3 at least)."""
    latencies: list[float] = []
    deadline = time.monotonic() + budget
    for key in keys:
        started = time.perf_counter()
        op(key)
        latencies.append((time.perf_counter() - started) * 1000)
        if time.monotonic() > deadline and len(latencies) >= 3:
            break
    return latencies


def load(client: MongoClient[dict[str, Any]]) -> tuple[float, int]:
    coll = client.bench.docs
    coll.create_index("email", unique=True)
    coll.create_index("ref")
    started = time.perf_counter()
    for first in range(0, DOCS, BATCH):
        coll.insert_many([document(i) for i in range(first, min(first + BATCH, DOCS))])
    return time.perf_counter() - started, coll.estimated_document_count()


def concurrent_incs(client: MongoClient[dict[str, Any]]) -> tuple[int, int]:
    """4 threads x 250 `$inc` of one document: the count it ends with, and errors raised."""
    coll = client.bench.counter
    coll.insert_one({"_id": "c", "n": 0})
    errors = [0]

    def work() -> None:
        for _ in range(250):
            try:
                with pymongo.timeout(30):
                    coll.update_one({"_id": "c"}, {"$inc": {"n": 1}})
            except PyMongoError:
                errors[0] += 1

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    found = coll.find_one({"_id": "c"})
    return int(found["n"]) if found else 0, errors[0]


def duplicate_by_update(client: MongoClient[dict[str, Any]]) -> tuple[float, str]:
    coll = client.bench.people
    coll.create_index("email", unique=True)
    coll.insert_many([{"_id": "a", "email": "a@x.org"}, {"_id": "b", "email": "b@x.org"}])
    try:
        coll.update_one({"_id": "b"}, {"$set": {"email": "a@x.org"}})
    except DuplicateKeyError as e:
        return float(e.code or 0), f"DuplicateKeyError {e.code}"
    except OperationFailure as e:
        name = (e.details or {}).get("codeName") or "no code name"
        return float(e.code or 0), f"OperationFailure code {e.code} ({name})"
    return -1.0, "no error: the unique index let it through"


def find_one_and_update_projection(client: MongoClient[dict[str, Any]]) -> tuple[float, str]:
    coll = client.bench.people
    try:
        found = coll.find_one_and_update(
            {"_id": "a"},
            {"$inc": {"seen": 1}},
            projection={"email": 1, "_id": 0},
            return_document=ReturnDocument.AFTER,
        )
    except OperationFailure as e:
        return 0.0, f"refused (code {e.code})"
    if found == {"email": "a@x.org"}:
        return 1.0, "works"
    return 0.0, f"wrong answer: {found}"


def bulk_updates(client: MongoClient[dict[str, Any]], keys: list[int]) -> tuple[float, str]:
    ops = [UpdateOne({"_id": f"doc-{k:06d}"}, {"$set": {"count": 1}}) for k in keys[:1000]]
    started = time.perf_counter()
    try:
        with pymongo.timeout(BULK_CAP_S):
            client.bench.docs.bulk_write(ops, ordered=False)
    except PyMongoError:
        return BULK_CAP_S, f"> {BULK_CAP_S:.0f} s (stopped waiting)"
    took = time.perf_counter() - started
    return took, f"{took:.2f} s"


def durability(start: Callable[[Path], contextlib.AbstractContextManager[Running]], where: Path):
    """Acknowledged inserts, kill -9, restart on the same files: how many are there."""
    with start(where) as store:
        with MongoClient(store.uri) as client:
            for i in range(DURABLE_WRITES):
                client.bench.durable.insert_one({"_id": i, "v": "x" * 50})
        store.kill()
        store.up()
        with MongoClient(store.uri) as client:
            return client.bench.durable.count_documents({})


def measure(label: str, store: Running) -> dict[str, tuple[float, str, str]]:
    """Every figure of one candidate: {column: (value, unit, shown as)}."""
    rng = random.Random(12)
    keys = rng.sample(range(DOCS), min(DOCS, 3000))
    out: dict[str, tuple[float, str, str]] = {}
    with MongoClient(store.uri, maxPoolSize=8, socketTimeoutMS=180_000) as client:
        took, loaded = load(client)
        out["insert throughput"] = (loaded / took, "docs/s", f"{loaded / took:,.0f} docs/s")
        out["RSS after the load"] = (m := rss_mib(store.pid()), "MiB", f"{m:,.0f} MiB")
        print(f"\n{label}: {loaded} documents loaded in {took:.1f} s, RSS {m:.0f} MiB")
        coll = client.bench.docs
        sample(lambda k: coll.find_one({"_id": f"doc-{k:06d}"}), keys[:300], budget=2)  # warm
        ops: dict[str, Callable[[int], object]] = {
            "find by _id": lambda k: coll.find_one({"_id": f"doc-{k:06d}"}),
            "find by a normal index": lambda k: list(coll.find({"ref": f"ref-{k // 2:06d}"})),
            "find by a unique index": lambda k: coll.find_one({"email": f"person-{k}@example.org"}),
            "update by _id": lambda k: coll.update_one(
                {"_id": f"doc-{k:06d}"}, {"$inc": {"count": 1}}
            ),
        }
        for column, op in ops.items():
            lat = sample(op, keys)
            for q in (50, 99):
                value = pct(lat, q)
                out[f"{column} p{q}"] = (value, "ms", f"{value:,.2f} ms (n={len(lat)})")
        survived, errors = concurrent_incs(client)
        shown = f"{survived:,} of 1,000" + (f" ({errors} errors)" if errors else "")
        out["4 threads x 250 $inc survived"] = (float(survived), "of 1,000", shown)
        code, shown = duplicate_by_update(client)
        out["duplicate caused by an update"] = (code, "error code", shown)
        works, shown = find_one_and_update_projection(client)
        out["find_one_and_update with projection"] = (works, "works", shown)
        seconds, shown = bulk_updates(client, keys)
        out["bulk_write of 1,000 updates"] = (seconds, "s", shown)
        out["documents loaded"] = (float(loaded), "docs", f"{loaded:,}")
    return out


def test_store_candidates_side_by_side(tmp_path: Path) -> None:
    results: dict[str, dict[str, tuple[float, str, str]]] = {}
    for label, start in CANDIDATES:
        if start is ferretdb and not ferret.available():
            print(f"\n{label}: skipped (no Go to build it from the module proxy)")
            continue
        began = time.monotonic()
        with start(tmp_path / f"load-{len(results)}") as store:
            figures = measure(label, store)
        survived = durability(start, tmp_path / f"durable-{len(results)}")
        figures["acknowledged writes after kill -9"] = (
            float(survived), f"of {DURABLE_WRITES:,}", f"{survived:,} of {DURABLE_WRITES:,}"
        )  # fmt: skip
        results[label] = figures
        print(f"{label} ({time.monotonic() - began:.0f} s): "
              + "; ".join(f"{k} {v[2]}" for k, v in figures.items()))  # fmt: skip

    notes = (
        f"{DOCS:,} documents of 12 fields (~350 bytes), unique index on email, normal index on "
        "ref (2 documents a value), loaded by insert_many batches of 1,000 (the insert "
        "throughput); PyMongo 4.20 sync, one client a candidate, candidates one after another "
        f"on the same machine. Latency samples: random keys, at most {BUDGET_S:.0f} s each "
        "(at least 3 operations; n says how many, so FerretDB's p99 rests on a handful); "
        f"bulk_write capped at {BULK_CAP_S:.0f} s; RSS of the store process after the load; "
        f"kill -9 after {DURABLE_WRITES:,} acknowledged insert_one on a fresh instance, then a "
        "restart on the same files. mongo-java-server normal (non-unique) indexes are not "
        "used by its query planner: such a lookup scans the collection."
    )
    for label, figures in results.items():
        for column, (value, unit, shown) in figures.items():
            record(NAME, f"{label}: {column}", value, unit, table="store", candidate=label,
                   column=column, shown=shown, notes=notes)  # fmt: skip
    assert all(f["documents loaded"][0] > 0 for f in results.values())
