"""The subject registry's marks on the real store: a subject is marked as being erased
once, whoever asks again (two sweeps racing, or a sweep after a crash)."""

from datetime import UTC, datetime

from entraide.privacy.registry import SubjectRegistry


async def test_a_subject_is_marked_as_being_erased_once(mongo, unique) -> None:
    registry = SubjectRegistry(mongo[f"test_registry_{unique}"])
    now = datetime.now(UTC)
    assert await registry.mark_erasing(["ref-aaaaaaaa", "ref-bbbbbbbb"], now) == [
        "ref-aaaaaaaa",
        "ref-bbbbbbbb",
    ]
    assert await registry.mark_erasing(["ref-bbbbbbbb", "ref-cccccccc"], now) == ["ref-cccccccc"]
    assert await registry.mark_erasing([], now) == []
    assert await registry.being_erased() == {"ref-aaaaaaaa", "ref-bbbbbbbb", "ref-cccccccc"}
    await mongo.drop_database(f"test_registry_{unique}")
