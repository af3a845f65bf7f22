"""A generated year of activity, replayed into an observatory over a temporary archive
(shared by the tests of this folder: the replay and the refresh take a while)."""

import asyncio
from datetime import UTC, datetime
from pathlib import Path

from entraide.observatory.adapters.archive import ParquetArchive
from entraide.observatory.adapters.memory import (
    MemoryApplicants,
    MemoryCountedCases,
    MemoryEpisodes,
    MemoryParked,
    MemoryPendingFacts,
    MemorySuppliers,
)
from entraide.observatory.adapters.simulation import Event
from entraide.observatory.usecases.publish import Observatory, Protection
from entraide.observatory.usecases.record import Incoming, Recorder


def replayed(
    events: list[Event],
    root: Path,
    protection: Protection | None = None,
    *,
    refresh: bool = True,
    until: datetime | None = None,
) -> Observatory:
    """The observatory after recording `events` (in batches, as the consumer does), the
    monthly roll-over at `until` if given, and a refresh (or only the facts written to the
    archive)."""
    pending = MemoryPendingFacts()
    recorder = Recorder(
        MemoryEpisodes(),
        MemorySuppliers(),
        pending,
        MemoryCountedCases(),
        MemoryParked(),
        MemoryApplicants(),
    )

    async def run() -> Observatory:
        for i in range(0, len(events), 1000):
            await recorder.record([Incoming(e.id, e.time, e.data) for e in events[i : i + 1000]])
        if until is not None:
            await recorder.roll_over(until)
        observatory = Observatory(
            ParquetArchive(root), pending, protection or Protection(), lambda: datetime.now(UTC)
        )
        await (observatory.refresh() if refresh else observatory.flush())
        return observatory

    return asyncio.run(run())
