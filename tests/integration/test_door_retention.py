"""Families' own requests never confirmed are deleted 3 years after their last contact, on
the real store, by intake's own pass at its start: one waiting since then, one refused
then; one waiting for less long, one refused more recently and one confirmed long ago stay
(the confirmed goes with its family's record). They used to stay for ever: privacy's
registry never hears of a request that was not published."""

import uuid
from datetime import UTC, datetime, timedelta

from entraide.contracts.vocab import Need
from entraide.intake.adapters.self_requests import COLLECTION, SelfRequestStore
from entraide.intake.app import create_app as intake_app
from entraide.intake.domain.self_requests import SelfRequest, Stage
from tests.support import eventually, serving

NOW = datetime.now(UTC)
OLD = NOW - timedelta(days=3 * 366)  # past 3 years, whatever the leap days
RECENT = NOW - timedelta(days=3 * 365 - 30)


def door_request(sent: datetime, stage: Stage = Stage.PENDING, **decided: object) -> SelfRequest:
    return SelfRequest(
        id=uuid.uuid4().hex,
        family_id=uuid.uuid4().hex,
        family_ref=uuid.uuid4().hex,
        association_id=None,
        offer_id=None,
        departement="58",
        postal_code="58000",
        children_birth_years=[2019],
        needs=[Need.ECOUTE],
        availability=[],
        languages=["fr"],
        contact_preferences=["phone"],
        sealed={},
        lookup=[uuid.uuid4().hex],
        code_hash=uuid.uuid4().hex,
        submitted_at=sent,
        stage=stage,
        **decided,  # type: ignore[arg-type]
    )


async def test_door_requests_never_confirmed_go_three_years_after_their_last_contact(
    intake_settings, mongo
) -> None:
    store = SelfRequestStore(mongo[intake_settings.database])
    expired = [
        door_request(OLD),  # waiting 3 years
        door_request(OLD - timedelta(days=40), Stage.REFUSED, decided_at=OLD),
    ]
    kept = [
        door_request(RECENT),
        door_request(OLD, Stage.REFUSED, decided_at=RECENT),  # refused lately: from then
        door_request(OLD, Stage.CONFIRMED, decided_at=OLD, request_id=uuid.uuid4().hex),
    ]
    for request in expired + kept:
        await store.add(request)
    queue = mongo[intake_settings.database][COLLECTION]

    async def left() -> set[str]:
        return {doc["_id"] async for doc in queue.find({}, {"_id": 1})}

    async with serving(intake_app(intake_settings)):
        await eventually(
            lambda: _without(left, {r.id for r in expired}), what="the expired deleted"
        )
    assert {r.id for r in kept} <= await left()


async def _without(left, ids: set[str]) -> bool:
    return not (await left()) & ids
