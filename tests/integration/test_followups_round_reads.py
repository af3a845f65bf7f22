"""The follow-ups' round (every scheduler round) on the real store reads every active
match, and every stored schedule, through one query each, a chunk at a time from its
cursor: one query a chunk (the next page after an id) was a scan and a sort of every
match each on mongo-java-server (30 s a round at 30,000 active of 200,000 matches)."""

import uuid
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from pymongo import AsyncMongoClient, monitoring

from entraide.matching.adapters.documents import document_of
from entraide.matching.adapters.followups import FollowUpStore
from entraide.matching.domain.model import Match
from entraide.matching.usecases.followups import FollowUps

CHUNK = 50
ACTIVE = 2 * CHUNK + 1  # three chunks


class Walks(monitoring.CommandListener):
    """The finds of each collection not by `_id` (one or a list): its walks."""

    def __init__(self) -> None:
        self.by_collection: Counter[str] = Counter()

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        if event.command_name == "find":
            ids = event.command.get("filter", {}).get("_id")
            if ids is None or (isinstance(ids, dict) and "$in" not in ids):
                self.by_collection[event.command["find"]] += 1

    def succeeded(self, event: Any) -> None:
        pass

    def failed(self, event: Any) -> None:
        pass


def match(state: str, now: datetime) -> Match:
    return Match(
        match_id=uuid.uuid4().hex,
        request_id=uuid.uuid4().hex,
        family_ref=uuid.uuid4().hex[:22],
        support_key="volunteer:vol-1",
        association_id="afev",
        departement="44",
        needs=("parrainage-de-proximite",),
        urgency="medium",
        state=state,
        score=1.0,
        breakdown={},
        reasons=(),
        distance_km=None,
        proposed_by="online",
        proposed_at=now - timedelta(days=40),
        expires_at=now,
        started_at=now - timedelta(days=35),
    )


def stored(match: Match, now: datetime) -> dict[str, Any]:
    """The match's document as the store holds it once accepted and started."""
    since = {"accepted_at": now - timedelta(days=38), "last_contact_at": now - timedelta(days=35)}
    return document_of(match) | since


async def test_the_round_walks_the_matches_and_the_schedules_once_each(infra, unique) -> None:
    walks = Walks()
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(
        infra.mongodb_uri, tz_aware=True, event_listeners=[walks]
    )
    db = client[f"test_followups_round_{unique}"]
    store, now = FollowUpStore(db), datetime.now(UTC)
    await store.ensure_indexes()
    started = [match("started", now) for _ in range(ACTIVE)]
    closed = [match("closed", now) for _ in range(CHUNK)]
    await db["matches"].insert_many([stored(m, now) for m in started + closed])
    round_ = FollowUps(store)
    walks.by_collection.clear()

    assert await round_.refresh(chunk=CHUNK) == ACTIVE

    assert await db["followups"].count_documents({}) == ACTIVE
    assert walks.by_collection == {"matches": 1, "followups": 1}

    ended = replace(started[0], state="closed")
    await db["matches"].replace_one({"_id": ended.match_id}, stored(ended, now))
    walks.by_collection.clear()

    assert await round_.refresh(chunk=CHUNK) == 0

    assert await db["followups"].count_documents({}) == ACTIVE - 1
    assert await db["followups"].find_one({"_id": ended.match_id}) is None
    assert walks.by_collection == {"matches": 1, "followups": 1}
    await client.drop_database(db.name)
    await client.close()
