"""Families' own requests never confirmed are deleted 3 years after their last contact
(`usecases.door_retention`, against a fake queue): the waiting one from the day it was
sent, its key destroyed; the refused one from the day of the refusal; one decided
meanwhile stays."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from entraide.contracts.paris import years_before
from entraide.contracts.vocab import Need
from entraide.intake.domain.self_requests import SelfRequest, Stage
from entraide.intake.usecases.door_retention import purge_expired
from tests.unit.intake.fakes import FakeKeys

NOW = datetime(2029, 12, 2, 9, tzinfo=UTC)


def sent(at: datetime, n: int, stage: Stage = Stage.PENDING, **more: object) -> SelfRequest:
    return SelfRequest(
        id=f"door-{n}", family_id=f"family-{n}", family_ref=f"ref-{n}", association_id=None,
        offer_id=None, departement="59", postal_code="59000", children_birth_years=[2020],
        needs=[Need.ECOUTE], availability=[], languages=["fr"], contact_preferences=["sms"],
        sealed={}, lookup=[], code_hash=f"code-{n}", submitted_at=at, stage=stage,
        **more,  # type: ignore[arg-type]
    )  # fmt: skip


class Queue:
    """The two calls of the pass, over a dict; `decided` is confirmed just before removal."""

    def __init__(self, *requests: SelfRequest, decided: str | None = None) -> None:
        self.requests = {r.id: r for r in requests}
        self.decided = decided

    def _expired(self, request: SelfRequest, before: datetime) -> bool:
        if request.stage == Stage.PENDING:
            return request.submitted_at < before
        return request.stage == Stage.REFUSED and (request.decided_at or NOW) < before

    async def expired(self, before: datetime, limit: int) -> list[SelfRequest]:
        return [r for r in self.requests.values() if self._expired(r, before)][:limit]

    async def remove_expired(self, self_id: str, before: datetime) -> bool:
        if self_id == self.decided:  # staff confirmed it meanwhile
            self.requests[self_id] = replace(self.requests[self_id], stage=Stage.CONFIRMED)
        if not self._expired(self.requests[self_id], before):
            return False
        del self.requests[self_id]
        return True


async def test_requests_never_confirmed_go_three_years_after_their_last_contact() -> None:
    edge = years_before(NOW, 3)
    queue = Queue(
        sent(edge - timedelta(seconds=1), 1),  # waiting 3 years: goes, its key too
        sent(edge - timedelta(days=90), 2, Stage.REFUSED, decided_at=edge - timedelta(days=1)),
        sent(edge + timedelta(days=1), 3),  # waiting a day less: stays
        sent(edge - timedelta(days=90), 4, Stage.REFUSED, decided_at=edge + timedelta(days=1)),
        sent(edge - timedelta(days=9), 5, Stage.CONFIRMED, decided_at=edge - timedelta(days=8)),
        sent(edge - timedelta(days=2), 6),  # confirmed by staff as the pass reaches it
        decided="door-6",
    )
    keys = FakeKeys()
    destroyed: list[str] = []

    async def destroy(family_id: str) -> None:
        destroyed.append(family_id)

    keys.destroy = destroy  # type: ignore[method-assign]
    gone = await purge_expired(queue, keys, now=NOW, years=3)
    assert gone == 2
    assert sorted(queue.requests) == ["door-3", "door-4", "door-5", "door-6"]
    assert destroyed == ["family-1"]  # a refused one's key went at its refusal


def test_three_years_before_a_29_february_is_the_28th() -> None:
    assert years_before(datetime(2028, 2, 29, tzinfo=UTC), 3) == datetime(2025, 2, 28, tzinfo=UTC)
    assert years_before(NOW, 3) == datetime(2026, 12, 2, 9, tzinfo=UTC)
