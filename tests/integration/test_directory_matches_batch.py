"""Directory's matches consumer, a batch at a time on the real store: it reads the batch's
volunteers in one `find` and writes their supports in one bulk write (one `update`, and one
`delete` when a match ends), whatever the number of events; each match's events keep their
order, a move before its proposal still finds nothing, and a redelivered batch tells
nobody twice."""

import pytest

from entraide.directory.settings import DirectorySettings
from tests.infra import Endpoints, settings_on
from tests.integration.directory_matches import (
    accepted,
    closed,
    directory,
    proposal,
    started,
)


@pytest.fixture
def settings(infra: Endpoints, unique: str) -> DirectorySettings:
    return settings_on(DirectorySettings, infra, f"test_directory_{unique}", keys="local")


async def states(d, *proposals) -> list[str | None]:
    found = {
        doc["_id"]: doc["state"] async for doc in d.db["volunteer_supports"].find({}, {"state": 1})
    }
    return [found.get(p.match_id) for p in proposals]


async def test_a_batch_reads_its_volunteers_once_and_writes_its_supports_at_once(settings):
    async with directory(settings) as d:
        one, other = await d.approved(2)
        many = [proposal(one) for _ in range(10)]  # ten families proposed to one volunteer
        taken, begun, ended, elsewhere = many[0], many[1], many[2], proposal(other)
        stranger, offer = proposal("unknown-ref-0001"), proposal(None)
        events = [*many, elsewhere, stranger, offer, accepted(taken), accepted(begun)]
        events += [started(begun), accepted(ended), closed(ended)]
        d.commands.seen.clear()

        await d.replay(events)

        assert d.commands.on("volunteers") == ["find"]
        assert d.commands.on("volunteer_supports") == ["update", "delete"]
        assert await states(d, taken, begun, ended, elsewhere, stranger, offer, many[3]) == [
            "accepted",
            "started",
            None,
            "proposed",
            None,
            None,
            "proposed",
        ]
        told = sorted(d.outbox.sent)
        assert told == sorted(["v0@ex.org"] * 10 + ["v1@ex.org"])
        assert await d.db["notifications"].count_documents({}) == 11

        await d.replay(events)  # redelivered: nothing told twice, nothing taken back
        assert len(d.outbox.sent) == 11
        assert await states(d, taken, begun, ended) == ["accepted", "started", None]

        page = await d.supports.current(one)
        assert [s["_id"] for s in page] == [taken.match_id, begun.match_id]


async def test_a_move_before_its_proposal_finds_nothing_as_one_event_at_a_time(settings):
    async with directory(settings) as d:
        [ref] = await d.approved(1)
        early, late, back = proposal(ref), proposal(ref), proposal(ref)
        # an acceptance read before its proposal (a replay, an offset reset), then both
        # orders in one batch, and a match proposed again after it ended
        await d.replay([accepted(early)])
        assert await states(d, early) == [None]
        await d.replay([early, accepted(late), late, closed(back), back, accepted(back)])
        assert await states(d, early, late, back) == ["proposed", "proposed", "accepted"]
        await d.replay([closed(back), back])
        assert await states(d, back) == ["proposed"]


async def test_a_batch_of_many_volunteers_is_one_read(settings):
    async with directory(settings) as d:
        refs = await d.approved(120)  # more than a cursor's first batch (101)
        d.commands.seen.clear()
        await d.replay([proposal(ref) for ref in refs])
        assert d.commands.on("volunteers") == ["find"]
        assert d.commands.on("volunteer_supports") == ["update"]
        assert len(d.outbox.sent) == 120
