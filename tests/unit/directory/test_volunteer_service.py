"""A review written while another one lands is applied again to the newer revision."""

from datetime import UTC, datetime
from typing import Any

import pytest

from entraide.contracts.kit.principal import Principal, Role
from entraide.directory import volunteer_service
from entraide.directory.service import ConflictError

PPM = Principal(subject="s", name="Claire", role=Role.STAFF, association_id="parrains-par-mille")


class RacedStore:
    """A store where another writer gets in first `raced` times (their change: capacity 3)."""

    topic = "volunteers"

    def __init__(self, raced: int) -> None:
        now = datetime.now(UTC)
        self.doc: dict[str, Any] = {
            "_id": "v1", "volunteer_ref": "ref-of-v1", "association_id": "parrains-par-mille",
            "code_postal": "44000", "needs": ["parrainage-de-proximite"], "availability": [],
            "languages": ["fr"], "capacity": 1, "active_families": 0, "status": "in-review",
            "honorability": "cleared", "revision": 2, "applied_at": now, "updated_at": now,
        }  # fmt: skip
        self.raced, self.written = raced, []

    async def get(self, volunteer_id: str) -> dict[str, Any] | None:
        return dict(self.doc)

    async def replace(self, doc: dict, entries: list, previous: dict) -> bool:
        if self.raced:
            self.raced -= 1
            self.doc |= {"capacity": 3, "revision": self.doc["revision"] + 1}
        if previous["revision"] != self.doc["revision"]:
            return False
        self.doc, self.written = doc, [*self.written, entries]
        return True


async def test_an_approval_raced_by_another_review_keeps_both_and_is_announced_once() -> None:
    store = RacedStore(raced=2)
    doc = await volunteer_service.change(store, PPM, "v1", {"status": "approved"})  # type: ignore[arg-type]
    assert doc is not None
    assert (doc["status"], doc["capacity"], doc["revision"]) == ("approved", 3, 5)
    [entries] = store.written
    [event] = entries
    assert (event["topic"], event["key"]) == ("volunteers", "ref-of-v1")


async def test_a_review_always_raced_ends_in_a_conflict() -> None:
    store = RacedStore(raced=volunteer_service.ATTEMPTS)
    with pytest.raises(ConflictError):
        await volunteer_service.change(store, PPM, "v1", {"capacity": 2})  # type: ignore[arg-type]
    assert store.written == []
