"""The subject registry's erasure claims on the real store: a subject is claimed once,
whoever asks again (two sweeps racing, or a sweep after a crash); claimed subjects are no
longer candidates; marks left in the old `erasing` collection move onto their subjects."""

import asyncio
from datetime import UTC, datetime, timedelta

from entraide.contracts.vocab import SubjectKind
from entraide.privacy.adapters.store import MongoSubjects

NOW = datetime.now(UTC).replace(microsecond=0)
OLD = NOW - timedelta(days=4 * 365)


async def _registry(mongo, name: str, refs: list[str]) -> MongoSubjects:
    db = mongo[name]
    await db["subjects"].insert_many(
        [{"_id": r, "kind": "family", "last_contact_at": OLD, "first_seen_at": OLD} for r in refs]
    )
    return MongoSubjects(db)


async def test_a_subject_is_claimed_for_erasure_once(mongo, unique) -> None:
    name = f"test_registry_{unique}"
    subjects = await _registry(mongo, name, ["ref-aaaaaaaa", "ref-bbbbbbbb", "ref-cccccccc"])
    assert await subjects.claim_for_erasure(
        ["ref-aaaaaaaa", "ref-bbbbbbbb"], claim="one", at=NOW
    ) == ["ref-aaaaaaaa", "ref-bbbbbbbb"]
    assert await subjects.claim_for_erasure(
        ["ref-bbbbbbbb", "ref-cccccccc", "ref-unknown0"], claim="two", at=NOW
    ) == ["ref-cccccccc"]
    assert await subjects.claim_for_erasure([], claim="three", at=NOW) == []
    assert [s async for s in subjects.candidates(SubjectKind.FAMILY, NOW)] == []
    claimed = await subjects.get("ref-aaaaaaaa")
    assert claimed is not None
    assert claimed.erasing_since == NOW
    await mongo.drop_database(name)


async def test_racing_claims_share_the_subjects_out(mongo, unique) -> None:
    name = f"test_registry_race_{unique}"
    refs = [f"ref-{n:08d}" for n in range(200)]
    subjects = await _registry(mongo, name, refs)
    won = await asyncio.gather(
        *(subjects.claim_for_erasure(refs, claim=f"sweep-{n}", at=NOW) for n in range(4))
    )
    assert sorted(r for w in won for r in w) == refs  # each subject once, by one sweep
    await mongo.drop_database(name)


async def test_marks_of_the_old_erasing_collection_move_onto_the_subjects(mongo, unique) -> None:
    name = f"test_registry_old_{unique}"
    subjects = await _registry(mongo, name, ["ref-aaaaaaaa", "ref-bbbbbbbb"])
    await mongo[name]["erasing"].insert_one({"_id": "ref-aaaaaaaa", "at": NOW})
    await subjects.move_old_marks()
    assert "erasing" not in await mongo[name].list_collection_names()
    left = [s.ref async for s in subjects.candidates(SubjectKind.FAMILY, NOW)]
    assert left == ["ref-bbbbbbbb"]
    await subjects.move_old_marks()  # nothing left to move: nothing changes
    await mongo.drop_database(name)
