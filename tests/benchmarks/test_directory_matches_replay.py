"""Benchmark: a replay of the matches topic through directory's matches consumer (its
handler as `register` wires it, batches of 500, on the real store; no Kafka).

    make bench   (or alone: pytest tests/benchmarks/test_directory_matches_replay.py -s)

5,000 events in the topic's order: 2,000 proposals (1,800 to 200 approved volunteers, 200
to volunteers directory does not know), 1,500 acceptances, 1,000 starts, 500 closures.
Once on a fresh database (a rebuilt database: every support written, every proposal told
through the notifier's record), then again (a new replica's replay: all already there).
"""

import random
import time
from collections import Counter
from datetime import timedelta

from entraide.directory.settings import DirectorySettings
from tests.benchmarks.record import record
from tests.infra import Endpoints, settings_on
from tests.integration.directory_matches import (
    accepted,
    as_record,
    closed,
    directory,
    proposal,
    started,
)

VOLUNTEERS, MATCHES = 200, 2_000


def topic(refs: list[str], seed: int = 7) -> list:
    rng = random.Random(seed)
    events = []
    for i in range(MATCHES):
        ref = rng.choice(refs) if i % 10 else f"unknown-{i:08d}"
        p = proposal(ref, at=proposal(None).proposed_at + timedelta(minutes=i))
        events.append(p)
        if i < 1_500:
            events.append(accepted(p))
        if i < 1_000:
            events.append(started(p))
        if i < 500:
            events.append(closed(p))
    return sorted(events, key=lambda e: e.move()[1])


async def test_a_replay_of_the_matches_topic(infra: Endpoints, unique: str) -> None:
    settings = settings_on(DirectorySettings, infra, f"bench_directory_{unique}", keys="local")
    async with directory(settings) as d:
        events = [as_record(e) for e in topic(await d.approved(VOLUNTEERS))]
        assert len(events) == 5_000
        rates = []
        for _ in ("fresh", "again"):
            d.commands.seen.clear()
            began = time.perf_counter()
            await d.replay(events)
            rates.append(len(events) / (time.perf_counter() - began))
            by = Counter(f"{name} {on}" for name, on in d.commands.seen).most_common()
            print(f"\n{len(events)} events: {rates[-1]:,.0f} events/s, commands: {by}")
        supports = d.db["volunteer_supports"]
        assert await supports.count_documents({"state": "started"}) == 450
        assert len(d.outbox.sent) == 1_800
    record("directory matches replay", "fresh database", rates[0], "events/s")
    record("directory matches replay", "again (all there)", rates[1], "events/s")
