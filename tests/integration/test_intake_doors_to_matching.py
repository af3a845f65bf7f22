"""Two doors of intake, through to matching, both running in-process on the real broker
and store: a partner withdrawing the request its event sent, and staff adding another
request to a family already known. Each was tested only up to its event on the requests
topic; here matching hears it and acts (its store and API, and the matches topic).

Matching reads intake's real requests topic from where the test starts (its group
committed at the topic's ends first), and volunteers from a scratch topic of the test's:
no family another test, or an earlier run on this broker, left waiting takes a place
meant for this test's families, and nothing is replayed."""

import contextlib
import json
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from functools import partial

import httpx
import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from fastapi import FastAPI

from entraide.contracts.events import MatchClosed, MatchProposed, VolunteerAvailability
from entraide.contracts.topics import MATCHES, REQUESTS
from entraide.contracts.vocab import MatchOutcome
from entraide.intake.app import create_app as intake_app
from entraide.intake.settings import IntakeSettings
from entraide.kit.broker import consumer_group
from entraide.kit.deps import lookup
from entraide.matching.adapters.matches import MatchStore
from entraide.matching.adapters.requests import RequestViews
from entraide.matching.adapters.volunteers import VolunteerViews
from entraide.matching.app import SERVICE as MATCHING
from entraide.matching.app import create_app as matching_app
from entraide.matching.domain.model import Match
from entraide.matching.entrypoints.scheduler import tick
from entraide.matching.settings import MatchingSettings
from entraide.matching.usecases.engine import HALF_WRITTEN_AFTER, Engine
from tests.auth_support import DevIssuer
from tests.integration.test_another_request import CONSENT
from tests.integration.test_partner_doors import partner_event, signed
from tests.matching_support import Feed, feed, volunteer
from tests.support import eventually, records, request_body, serving

# places and needs no other test's family has, in case one runs meanwhile (Châteaubriant
# and Ancenis are 41 km apart)
CHATEAUBRIANT = {"postal_code": "44110", "commune": "Châteaubriant"}
ANCENIS = {"postal_code": "44150", "commune": "Ancenis"}
SCHOOL, RESPITE = "accompagnement-scolaire", "repit-garde-ponctuelle"  # both within 10 km
FIRST = request_body() | ANCENIS | {"needs": [SCHOOL]}
ROUND_SECONDS = 0.5  # matching's scheduler: its rounds place the waiting families
HEALED_AFTER = HALF_WRITTEN_AFTER.total_seconds()


@dataclass
class Running:
    intake: httpx.AsyncClient
    matching: httpx.AsyncClient
    app: FastAPI  # matching's
    world: Feed
    bootstrap: str

    @property
    def store(self) -> MatchStore:
        return lookup(self.app, MatchStore)

    async def volunteers(self, *known: VolunteerAvailability) -> None:
        """Announce these volunteers to matching, as directory does, and wait till it knows them."""
        views = lookup(self.app, VolunteerViews)
        for one in known:
            await self.world.send(self.world.volunteers, one, one.volunteer_ref)
        for one in known:
            await eventually(partial(views.get, one.volunteer_ref), what="the volunteer known")

    async def proposal(self, request_id: str, timeout: float = 60):
        return await eventually(
            lambda: self.store.open_for_request(request_id), timeout=timeout, what="a proposal"
        )

    async def seen(self, request_id: str) -> dict:
        """The request as matching's API shows it to Parrains Par Mille's staff."""
        answer = await self.matching.get(f"/api/v1/requests/{request_id}")
        assert answer.status_code == 200, answer.text
        return answer.json()


@contextlib.asynccontextmanager
async def both_running(
    intake_settings: IntakeSettings,
    matching_settings: MatchingSettings,
    dev_issuer: DevIssuer,
    staff_bearer: dict[str, str],
    **matching: object,
) -> AsyncIterator[Running]:
    """Intake and matching serving, matching reading the requests sent from now on."""
    bootstrap = matching_settings.kafka_bootstrap
    async with feed(bootstrap) as world:
        settings = world.settings(
            dev_issuer.settings_for(matching_settings), requests_topic=REQUESTS.name, **matching
        )
        await from_now_on(bootstrap, consumer_group(settings, MATCHING), REQUESTS.name)
        app = matching_app(settings)
        async with serving(intake_app(intake_settings)) as intake, serving(app) as coordinator:
            coordinator.headers.update(staff_bearer)
            yield Running(intake, coordinator, app, world, bootstrap)


async def from_now_on(bootstrap: str, group: str, topic: str) -> None:
    """Commit the consumer group at the topic's ends, before its service starts."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        [described] = await admin.describe_topics([topic])
    finally:
        await admin.close()
    parts = [TopicPartition(topic, p["partition"]) for p in described["partitions"]]
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=group)
    await consumer.start()
    try:
        consumer.assign(parts)
        await consumer.commit(await consumer.end_offsets(parts))
    finally:
        await consumer.stop()


async def matches_of(bootstrap: str, family_ref: str, at_least: int) -> list[dict]:
    """The match events matching published for this family, in order (their data and type)."""
    found = await records(bootstrap, MATCHES.name, key=family_ref.encode(), at_least=at_least)
    return [json.loads(r.value) for r in found]


async def test_a_partners_withdrawal_ends_its_proposal_or_its_wait_and_frees_the_place(
    partner_settings, matching_settings, dev_issuer, staff_bearer
) -> None:
    """Three families the partner sent, one volunteer with one place: the first is proposed
    to her, the two others wait. Withdrawn by the partner (helped elsewhere), a waiting
    request leaves the waitlist; a proposed one's proposal ends (request-withdrawn) and
    the place goes to the family still waiting; nothing is proposed for either afterwards."""
    source = partner_settings.partners["caf-44"].source
    school = volunteer(uuid.uuid4().hex[:16], postal_code="44110", needs=(SCHOOL,))
    async with both_running(
        partner_settings,
        matching_settings,
        dev_issuer,
        staff_bearer,
        scheduler=True,
        batch_interval_seconds=ROUND_SECONDS,
    ) as run:
        await run.volunteers(school)

        async def sent() -> tuple[str, str]:
            """A family sent by the partner: its event's id and its request's."""
            event_id = f"caf-{uuid.uuid4().hex[:8]}"
            event = partner_event(source, event_id, **CHATEAUBRIANT, needs=[SCHOOL])
            answer = await run.intake.post(
                "/api/v1/partner-events", content=event, headers=signed(event)
            )
            assert answer.status_code == 201, answer.text
            return event_id, answer.json()["request_id"]

        async def withdraw(event_id: str) -> None:
            met = json.dumps({"reason": "need-met-elsewhere"}).encode()
            answer = await run.intake.post(
                f"/api/v1/partner-events/{event_id}/withdrawal", content=met, headers=signed(met)
            )
            assert answer.status_code == 200, answer.text

        async def waits(request_id: str) -> bool:
            return bool(await run.store.waiting({"_id": request_id, "reason": "no-capacity"}))

        proposed_event, proposed = await sent()
        proposal = await run.proposal(proposed)
        (waiting_event, waiting), (_, helped) = [await sent() for _ in range(2)]
        assert proposal.support_key == f"volunteer:{school.volunteer_ref}"
        for one in (waiting, helped):
            await eventually(partial(waits, one), what="a family waiting for a place")

        async def left(request_id: str) -> bool:
            return not await run.store.waiting({"_id": request_id})

        await withdraw(waiting_event)
        await eventually(partial(left, waiting), what="the withdrawn request off the waitlist")
        await withdraw(proposed_event)
        # the place freed goes to the family still waiting (a round of matching's
        # scheduler), well before a minute, after which any round gives back a place held
        # by no open match (`MatchStore.heal`, for writes half done)
        placed = await run.proposal(helped, timeout=HEALED_AFTER / 2)
        assert placed.support_key == proposal.support_key
        await tick(lookup(run.app, Engine))  # one more round, as the scheduler's
        views = lookup(run.app, RequestViews)  # no association sees them now: the store
        withdrawn = [await views.get(r) for r in (proposed, waiting)]
        ended = [await run.store.of_request(r) for r in (proposed, waiting)]
        still_waiting = await run.store.waiting({"_id": {"$in": [proposed, waiting]}})
        coordinator = {"Authorization": f"Bearer {await dev_issuer.token_for('coordination-ppm')}"}
        queue = await run.matching.get("/api/v1/proposals?limit=100", headers=coordinator)

    assert [(v["status"], v["withdrawal_reason"]) for v in withdrawn] == [
        ("withdrawn", "need-met-elsewhere")
    ] * 2
    assert [[(m["_id"], m["state"], m.get("outcome")) for m in of] for of in ended] == [
        [(proposal.match_id, "closed", MatchOutcome.REQUEST_WITHDRAWN.value)],
        [],  # nothing proposed for it, before or after
    ]
    assert still_waiting == []
    ours = {proposed, waiting, helped}  # the association's queue, on matching's API
    assert [p["match_id"] for p in queue.json()["proposals"] if p["request_id"] in ours] == [
        placed.match_id
    ]
    bootstrap = partner_settings.kafka_bootstrap
    events = await matches_of(bootstrap, proposal.family_ref, at_least=2)
    assert [(e["type"], e["data"]["match_id"]) for e in events] == [
        (MatchProposed.EVENT_TYPE, proposal.match_id),
        (MatchClosed.EVENT_TYPE, proposal.match_id),
    ]
    assert events[1]["data"]["outcome"] == MatchOutcome.REQUEST_WITHDRAWN.value


@dataclass
class KnownFamily:
    run: Running
    record: dict  # hers in intake
    first: Match  # her first request's proposal
    school: str  # the two volunteers of Ancenis, by support key
    respite: str


@pytest.fixture
async def known(
    intake_settings, matching_settings, dev_issuer, staff_bearer, mongo
) -> AsyncIterator[KnownFamily]:
    """Both running, two volunteers of Ancenis (one for schoolwork, one for respite), and
    a family staff recorded there for help with schoolwork, her first request proposed."""
    school = volunteer(uuid.uuid4().hex[:16], postal_code="44150", needs=(SCHOOL,))
    respite = volunteer(uuid.uuid4().hex[:16], postal_code="44150", needs=(RESPITE,))
    async with both_running(intake_settings, matching_settings, dev_issuer, staff_bearer) as run:
        await run.volunteers(school, respite)
        run.intake.headers.update(staff_bearer)
        created = await run.intake.post("/api/v1/requests", json=FIRST)
        assert created.status_code == 201, created.text
        first = await run.proposal(created.json()["request_id"])
        families = mongo[intake_settings.database]["families"]
        record = await families.find_one({"requests.request_id": first.request_id})
        yield KnownFamily(
            run,
            record,
            first,
            f"volunteer:{school.volunteer_ref}",
            f"volunteer:{respite.volunteer_ref}",
        )


async def another_request(known: KnownFamily, consent: dict) -> str:
    """Staff add a request for some respite to her record, with the parent's consent."""
    added = await known.run.intake.post(
        f"/api/v1/families/{known.record['_id']}/requests",
        json={"needs": [RESPITE], "availability": FIRST["availability"], "consent": consent},
    )
    assert added.status_code == 201, added.text
    return added.json()["request_id"]


async def test_a_known_familys_new_request_is_proposed_beside_her_first(known) -> None:
    """Staff add a request to a family already known: matching hears a second request under
    the same reference and proposes a volunteer for it; the first keeps its proposal."""
    run, first = known.run, known.first
    second = await run.proposal(await another_request(known, CONSENT))
    first_now = await run.store.open_for_request(first.request_id)
    views = [await run.seen(first.request_id), await run.seen(second.request_id)]

    ref = known.record["family_ref"]
    assert [v["family_ref"] for v in views] == [ref, ref]
    assert [(v["status"], v["needs"]) for v in views] == [("open", [SCHOOL]), ("open", [RESPITE])]
    assert (first.support_key, second.support_key) == (known.school, known.respite)
    assert first_now == first  # untouched: the same proposal, still waiting for an answer
    events = await matches_of(run.bootstrap, ref, at_least=2)
    assert [(e["type"], e["data"]["request_id"], e["data"]["match_id"]) for e in events] == [
        (MatchProposed.EVENT_TYPE, first.request_id, first.match_id),
        (MatchProposed.EVENT_TYPE, second.request_id, second.match_id),
    ]


async def test_her_consent_given_back_with_a_new_request_places_both(known) -> None:
    """A parent who had withdrawn her consent to matching asks for something else and
    gives it back: her new request is proposed, and her first, whose proposal ended with
    her consent, is placed again (its volunteer's place was freed)."""
    run, first = known.run, known.first
    withdrawn = await run.intake.put(
        f"/api/v1/families/{known.record['_id']}/consent",
        json={"consent": CONSENT | {"matching": False}},
    )
    assert (withdrawn.status_code, withdrawn.json()["requests_revised"]) == (200, 1)

    async def ended() -> bool:
        return not await run.store.open_for_request(first.request_id)

    await eventually(ended, what="her proposal ended with her consent")
    second = await run.proposal(await another_request(known, CONSENT))
    again = await run.proposal(first.request_id)
    views = [await run.seen(first.request_id), await run.seen(second.request_id)]

    assert [v["status"] for v in views] == ["open", "open"]
    assert again.match_id != first.match_id
    assert (again.support_key, second.support_key) == (known.school, known.respite)
    events = await matches_of(run.bootstrap, known.record["family_ref"], at_least=4)
    moves = [(e["type"], e["data"]["match_id"]) for e in events]
    assert moves[:2] == [
        (MatchProposed.EVENT_TYPE, first.match_id),
        (MatchClosed.EVENT_TYPE, first.match_id),
    ]
    assert sorted(moves[2:]) == sorted(  # published together, in either order
        [(MatchProposed.EVENT_TYPE, again.match_id), (MatchProposed.EVENT_TYPE, second.match_id)]
    )
    assert events[1]["data"]["outcome"] == MatchOutcome.CONSENT_WITHDRAWN.value
