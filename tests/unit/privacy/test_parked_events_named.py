"""An access copy read an observatory's event set aside (one read before its request, a
race of two topics) with raw keys « type » and « data »: the fresh-clone CI's
test_public_rights_staff_copy failed on them once. Every key the observatory parks under
is named or left out (its contents stay in the copy's JSON file)."""

import asyncio
from datetime import UTC, datetime
from typing import Any

from entraide.contracts.events import MatchWaitlisted
from entraide.observatory.adapters.store import MongoParked
from entraide.observatory.usecases.record import Incoming
from entraide.privacy.entrypoints.http.readable import FIELDS
from entraide.privacy.entrypoints.http.readable_others import HIDDEN


class Docs:
    def __init__(self) -> None:
        self.written: dict[str, Any] = {}

    async def replace_one(self, query: dict[str, Any], doc: dict[str, Any], upsert: bool) -> None:
        self.written = doc


def test_every_key_of_a_parked_event_is_named_or_hidden() -> None:
    docs = Docs()
    parked = MongoParked.__new__(MongoParked)
    parked.docs = docs  # type: ignore[assignment]
    event = MatchWaitlisted.model_construct(
        request_id="r1", family_ref="f1", reason_code="too-far", waitlisted_at=datetime.now(UTC)
    )
    asyncio.run(parked.park("r1", "f1", Incoming("e1", datetime.now(UTC), event)))
    assert set(docs.written) - set(FIELDS) - HIDDEN == set()
