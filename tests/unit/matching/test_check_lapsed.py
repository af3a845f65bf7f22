"""A volunteer whose honorability check lapsed after the proposal (a proposal stays open
for days) is neither accepted nor started with the family: refused with the sentence
saying why, on the pages and the API; the match ends as a volunteer's who is no longer
available, and the family gets its next candidate. The day is Paris's, as the rule's."""

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from fastapi import HTTPException
from starlette.requests import Request

from entraide.matching.domain.rules import CheckLapsedError
from entraide.matching.entrypoints.http import api, followup_pages, pages
from entraide.matching.usecases.engine import Engine
from entraide.matching.usecases.pool import SupportPool
from tests.unit.matching.factories import COORDINATOR, NOW, volunteer
from tests.unit.matching.test_engine_use_cases import World, submitted

LAST_VALID = date(2026, 12, 3)
NEAR = volunteer(key="volunteer:vol-near-reze", capacity=1, honorability_valid_until=LAST_VALID)
FAR = volunteer(key="volunteer:vol-far-carquefou", capacity=1, location=(47.32, -1.45))
SAID = (
    "L'attestation d'honorabilité du bénévole de Parrains Par Mille a expiré le "
    "3 décembre 2026 : la proposition ne peut pas être acceptée. Elle est retirée, et "
    "la famille reçoit la proposition suivante ou attend qu'un soutien lui convienne."
)


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


async def proposed_to_near(*supports: Any) -> tuple[World, Engine, Clock, str, str]:
    """A family proposed the nearest volunteer (valid through 3 December, Paris)."""
    world, clock = World(NEAR, *supports), Clock()
    pool = SupportPool(world.supports, world.matches)
    engine = Engine(world.requests, world.matches, pool, clock=clock, relay=world.outbox)
    family = submitted()
    await engine.request_changed(world.arrives(family), first_seen=True)
    match = await world.matches.open_for_request(family.request_id)
    assert match is not None
    assert match.support_key == NEAR.key
    return world, engine, clock, match.match_id, family.request_id


async def test_accepting_after_the_check_lapsed_ends_the_proposal_and_places_the_family() -> None:
    world, engine, clock, match_id, request_id = await proposed_to_near(FAR)
    clock.now = datetime(2026, 12, 3, 23, 30, tzinfo=UTC)  # 4 December, 0 h 30 in Paris
    with pytest.raises(CheckLapsedError) as lapsed:
        await engine.accept(match_id)
    assert lapsed.value.until == LAST_VALID
    ended = await world.matches.get(match_id)
    assert ended is not None
    assert (ended.state, ended.outcome) == ("closed", "volunteer-unavailable")
    again = await world.matches.open_for_request(request_id)
    assert again is not None
    assert again.support_key == FAR.key, "the next candidate, never the lapsed volunteer"
    assert await world.matches.held() == {NEAR.key: 0, FAR.key: 1}


async def test_starting_after_the_check_lapsed_ends_the_support_and_waitlists_the_family() -> None:
    world, engine, clock, match_id, request_id = await proposed_to_near()
    clock.now = datetime(2026, 12, 3, 22, 30, tzinfo=UTC)  # 3 December, 23 h 30 in Paris
    await engine.accept(match_id)  # the last valid day
    clock.now += timedelta(hours=1)
    with pytest.raises(CheckLapsedError):
        await engine.start(match_id)
    ended = await world.matches.get(match_id)
    assert ended is not None
    assert (ended.state, ended.outcome) == ("closed", "volunteer-unavailable")
    assert world.matches.event_types()[-1] == "closed"
    assert world.matches.waitlist[request_id].reason == "honorability-check-missing"


async def test_a_check_valid_on_the_day_lets_the_support_start() -> None:
    world, engine, clock, match_id, _ = await proposed_to_near()
    clock.now = datetime(2026, 12, 3, 22, 30, tzinfo=UTC)  # still the 3rd in Paris
    await engine.accept(match_id)
    await engine.start(match_id)
    started = await world.matches.get(match_id)
    assert started is not None
    assert started.state == "started"


class Lapsing:
    """The listings and engine a decision goes through, the volunteer's check lapsed."""

    def __init__(self, state: str) -> None:
        self.state = state

    async def match(self, match_id: str) -> dict[str, Any]:
        return {
            "_id": match_id, "request_id": "r1", "family_ref": "f1",
            "support_key": NEAR.key, "association_id": "parrains-par-mille",
            "departement": "44", "state": self.state,
        }  # fmt: skip

    async def accept(self, match_id: str) -> None:
        raise CheckLapsedError(LAST_VALID)

    async def start(self, match_id: str) -> None:
        raise CheckLapsedError(LAST_VALID)


class Errors:
    status = 0

    def error(self, request: Any, principal: Any, status: int, *args: Any, **kw: Any) -> Any:
        self.status, self.said = status, args


def posted() -> Request:
    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    headers = [(b"content-type", b"application/x-www-form-urlencoded")]
    return Request({"type": "http", "method": "POST", "headers": headers}, receive)


async def test_the_queue_says_why_the_proposal_was_not_accepted() -> None:
    lapsing, errors = Lapsing("proposed"), Errors()
    fakes: Any = (lapsing, lapsing, errors)
    await pages.decide(posted(), "m1", "accepter", COORDINATOR, *fakes)
    assert errors.status == 409
    assert errors.said == ("Attestation d'honorabilité expirée", SAID)


async def test_the_follow_ups_say_why_the_support_did_not_start() -> None:
    lapsing, errors = Lapsing("accepted"), Errors()
    fakes: Any = (lapsing, lapsing, errors)
    await followup_pages.follow_up(posted(), "m1", "commencer", COORDINATOR, *fakes)
    assert errors.status == 409
    heading, said = errors.said
    assert heading == "Attestation d'honorabilité expirée"
    assert said.startswith(
        "L'attestation d'honorabilité du bénévole de Parrains Par Mille a expiré le "
        "3 décembre 2026 : l'accompagnement ne peut pas commencer. Il est clos"
    )


async def test_the_api_answers_the_same_sentence() -> None:
    lapsing = Lapsing("proposed")
    body = api.Decision(decision="accept")
    with pytest.raises(HTTPException) as refused:
        await api.decide("m1", body, COORDINATOR, lapsing, lapsing)  # type: ignore[arg-type]
    assert (refused.value.status_code, refused.value.detail) == (409, SAID)
