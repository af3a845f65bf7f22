"""The coordinators' lists paged by the store (`adapters.paging`): 45 proposals of an
association read 20 a page, the pages together are the whole list in order with no
duplicate and no gap, by number and by cursor (a proposal made meanwhile before the
cursor shifts nothing); a network coordinator's territories, the waitlist and the
follow-ups (what is due first) page the same way, and the counts are the store's; the
scheduler's round and the batch read the store a chunk at a time."""

from datetime import UTC, datetime, timedelta
from typing import Any

from entraide.matching.adapters.followups import FollowUpStore
from entraide.matching.adapters.matches import MatchStore
from entraide.matching.domain.paging import Asked
from entraide.matching.usecases.access import Scope
from entraide.matching.usecases.followups import FollowUps

START = datetime(2026, 11, 1, 8, tzinfo=UTC)
MINE = Scope(territories=("44",), network_wide=False, association_id="ppm")


def match(n: int, association_id: str = "ppm", departement: str = "44") -> dict[str, Any]:
    """A proposal; two share each moment (the `_id` orders them)."""
    return {
        "_id": f"{association_id}-{departement}-{n:03d}",
        "request_id": f"r-{association_id}-{departement}-{n:03d}",
        "association_id": association_id,
        "departement": departement,
        "state": "proposed",
        "proposed_at": START + timedelta(hours=n // 2),
    }


async def stores(mongo: Any, unique: str) -> tuple[MatchStore, FollowUpStore]:
    db = mongo[f"test_paging_{unique}"]
    matches, followups = MatchStore(db), FollowUpStore(db)
    await matches.ensure_indexes()
    await followups.ensure_indexes()
    return matches, followups


async def test_45_proposals_read_20_a_page_in_order_with_no_duplicate_and_no_gap(
    mongo, unique
) -> None:
    store, _ = await stores(mongo, unique)
    mine = [match(n) for n in range(45)]
    others = [match(n, "afev") for n in range(7)] + [match(n, departement="85") for n in range(5)]
    await store.matches.insert_many(list(reversed(mine)) + others)
    expected = [m["_id"] for m in mine]
    pages = [await store.listing_in(MINE, ["proposed"], Asked(n)) for n in (1, 2, 3)]
    assert [len(p.docs) for p in pages] == [20, 20, 5]
    assert [d["_id"] for p in pages for d in p.docs] == expected
    assert {(p.total, p.pages) for p in pages} == {(45, 3)}
    assert [p.number for p in pages] == [1, 2, 3]
    beyond = await store.listing_in(MINE, ["proposed"], Asked(9))
    assert (beyond.number, [d["_id"] for d in beyond.docs]) == (3, expected[40:])
    assert await store.count_in(MINE, ["proposed"]) == 45
    assert await store.count_in(MINE, ["accepted", "started"]) == 0


async def test_the_cursor_reaches_every_proposal_once_though_one_comes_in_before_it(
    mongo, unique
) -> None:
    store, _ = await stores(mongo, unique)
    await store.matches.insert_many([match(n) for n in range(45)])
    first = await store.listing_in(MINE, ["proposed"], Asked(size=20))
    await store.matches.insert_one(match(0) | {"_id": "ppm-44-000a"})  # before the mark
    seen, page = [d["_id"] for d in first.docs], first
    while page.next is not None:
        page = await store.listing_in(MINE, ["proposed"], Asked(size=20, after=page.next))
        seen += [d["_id"] for d in page.docs]
    assert seen == [match(n)["_id"] for n in range(45)]
    assert page.total == 46  # the newcomer is counted, and shown from the first page


async def test_a_network_coordinator_pages_their_territories_of_every_association(
    mongo, unique
) -> None:
    store, _ = await stores(mongo, unique)
    docs = [match(n, a, d) for n in range(15) for a in ("ppm", "afev") for d in ("44", "85", "75")]
    await store.matches.insert_many(docs)
    network = Scope(territories=("44", "85"), network_wide=True)
    pages = [await store.listing_in(network, ["proposed"], Asked(n)) for n in (1, 2, 3)]
    seen = [d for p in pages for d in p.docs]
    assert pages[0].total == 60
    assert len(seen) == len({d["_id"] for d in seen}) == 60
    assert {d["departement"] for d in seen} == {"44", "85"}
    assert seen == sorted(seen, key=lambda d: (d["proposed_at"], d["_id"]))


async def test_the_waitlist_and_the_follow_ups_page_in_their_own_order(mongo, unique) -> None:
    store, followups = await stores(mongo, unique)
    waiting = [
        {"_id": f"r{n:02d}", "departement": "44", "since": START + timedelta(days=n % 30)}
        for n in range(45)
    ]
    await store.waitlist.insert_many(waiting)
    network = Scope(territories=("44",), network_wide=True)
    pages = [await store.waiting_in(network, Asked(n)) for n in (1, 2, 3)]
    seen = [w["_id"] for p in pages for w in p.docs]
    assert seen == [w["_id"] for w in sorted(waiting, key=lambda w: (w["since"], w["_id"]))]
    assert "outbox" not in pages[0].docs[0]
    assert pages[0].total == 45
    schedules = [
        {"_id": f"m{n:02d}", "association_id": "ppm", "departement": "44",
         "next_on": f"2026-12-{1 + n % 28:02d}", "items": []}
        for n in range(45)
    ]  # fmt: skip
    await followups.followups.insert_many(schedules)
    first = await followups.followed_in(MINE, Asked(1))
    assert [s["next_on"] for s in first.docs] == sorted(s["next_on"] for s in schedules)[:20]
    assert await followups.due_count_in(MINE, datetime(2026, 12, 2).date()) == 4


async def test_the_schedulers_round_and_the_batch_read_the_store_a_chunk_at_a_time(
    mongo, unique
) -> None:
    """The follow-ups' round walks the active matches by id, 3 at a time here, and forgets
    the ended ones; the batch asks which requests are done among its candidates only."""
    store, followups = await stores(mongo, unique)
    active = [
        match(n) | {"state": "started", "family_ref": f"fam-{n}", "support_key": "volunteer:v",
                    "accepted_at": START, "started_at": START, "check_ins": []}
        for n in range(7)
    ]  # fmt: skip
    completed = match(90) | {"state": "closed", "outcome": "completed"}
    await store.matches.insert_many([*active, completed, match(91)])
    round_ = FollowUps(followups)
    assert await round_.refresh(chunk=3) == 7
    assert await followups.followups.count_documents({}) == 7
    ended = [active[0]["_id"], active[3]["_id"], active[6]["_id"]]
    await store.matches.update_many({"_id": {"$in": ended}}, {"$set": {"state": "closed"}})
    assert await round_.refresh(chunk=3) == 0
    left = {d["_id"] async for d in followups.followups.find({}, {"_id": 1})}
    assert left == {m["_id"] for m in active} - set(ended)
    asked = [completed["request_id"], match(91)["request_id"], active[1]["request_id"], "r-x"]
    done = await store.done_among(asked)
    assert done == {completed["request_id"], match(91)["request_id"], active[1]["request_id"]}


async def test_the_digest_counts_what_is_due_in_the_store(mongo, unique) -> None:
    """Before, the digest read up to 500 schedules of an association and counted their
    items in Python (a larger association's figures came out short); the store counts."""
    _, followups = await stores(mongo, unique)

    def schedule(n: int, association_id: str, *items: tuple[str, str]) -> dict[str, Any]:
        due = [{"kind": kind, "at": START, "on": on} for kind, on in items]
        return {"_id": f"{association_id}-{n}", "association_id": association_id,
                "departement": "44", "items": due, "next_on": min(on for _, on in items)}  # fmt: skip

    late, today, later = "2026-11-20", "2026-12-01", "2027-01-15"
    docs = [schedule(n, "ppm", ("1-month", late), ("3-month", later)) for n in range(600)]
    docs += [schedule(n, "ppm-bis", ("rupture", today), ("1-month", today)) for n in range(3)]
    docs += [schedule(900, "ppm", ("rupture", today)), schedule(901, "ppm", ("rupture", later))]
    docs += [schedule(n, "afev", ("1-month", late)) for n in range(4)]
    await followups.followups.insert_many(docs)
    mine = Scope(territories=(), network_wide=False, association_id="ppm")
    counted = await followups.due_kinds_in(mine, datetime(2026, 12, 1).date())
    assert counted == {"1-month": 600, "rupture": 1}


async def test_the_ended_supports_page_latest_first_by_number_and_by_cursor(mongo, unique) -> None:
    """« Terminés ces 30 derniers jours » showed the latest 50 and no more; now the store
    pages them, latest first, two ending at each moment (the `_id` orders those)."""
    store, _ = await stores(mongo, unique)

    def ended(n: int, **fields: Any) -> dict[str, Any]:
        closed = START + timedelta(hours=n // 2)
        return match(n) | {"state": "closed", "accepted_at": START, "closed_at": closed} | fields

    mine = [ended(n) for n in range(45)]
    withdrawn = ended(50, accepted_at=None)  # a proposal withdrawn: never a support
    long_ago = ended(51, closed_at=START - timedelta(days=40))
    await store.matches.insert_many([*mine, withdrawn, long_ago, match(52)])
    since = START - timedelta(days=30)
    latest = sorted(mine, key=lambda d: (d["closed_at"], d["_id"]), reverse=True)
    pages = [await store.ended_in(MINE, since, Asked(n)) for n in (1, 2, 3)]
    assert [d["_id"] for p in pages for d in p.docs] == [d["_id"] for d in latest]
    assert {(p.total, p.pages) for p in pages} == {(45, 3)}
    page, seen = pages[0], [d["_id"] for d in pages[0].docs]
    while page.next is not None:
        page = await store.ended_in(MINE, since, Asked(after=page.next))
        seen += [d["_id"] for d in page.docs]
    assert seen == [d["_id"] for d in latest]
