"""The follow-ups' round (every scheduler round) on the real store reads every active
match, and every stored schedule, through one query each, a chunk at a time from its
cursor: one query a chunk (the next page after an id) was a scan and a sort of every
match each on mongo-java-server (30 s a round at 30,000 active of 200,000 matches)."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from pymongo import AsyncMongoClient

from entraide.matching.adapters.documents import document_of
from entraide.matching.adapters.followups import FollowUpStore
from entraide.matching.domain.model import Match
from entraide.matching.usecases.followups import FollowUps
from tests.matching_support import started_match
from tests.store_walks import Walks

CHUNK = 50
ACTIVE = 2 * CHUNK + 1  # three chunks


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
    started = [started_match(now) for _ in range(ACTIVE)]
    closed = [started_match(now, state="closed") for _ in range(CHUNK)]
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
