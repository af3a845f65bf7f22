"""The demo network (`make up`'s data: deploy/demo) replayed through the real services on
the real broker and store, the observatory among them: it computes every indicator, and
each figure it publishes agrees with a count made here, independently, from the events
on the topics. The demo's few families are below the threshold of 5: a figure is blank
only where it counts 1 to 4 families or where complementary suppression hides it beside
such a one. An erasure case crossing the seam closes with the observatory's answer.

The topics are shared with the session's other tests: the independent count reads every
event the observatory read (the topics up to the offsets it committed), not only the
demo's."""

import contextlib
import shutil
import statistics
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from fastapi import FastAPI

from entraide.contracts import parse_event
from entraide.contracts.events import (
    ErasureRequested,
    MatchProposed,
    OfferState,
    OfferWithdrawn,
    RequestSubmitted,
    VolunteerAvailability,
)
from entraide.contracts.vocab import SubjectKind
from entraide.directory.app import create_app as create_directory
from entraide.directory.domain.offers.demo import demo_offers
from entraide.directory.settings import DirectorySettings
from entraide.intake.app import create_app as create_intake
from entraide.kit.broker import consumer_group
from entraide.kit.deps import lookup
from entraide.kit.keyvault_client import SubjectKeys
from entraide.matching.app import create_app as create_matching
from entraide.matching.settings import MatchingSettings
from entraide.observatory.domain.indicators import BY_KEY, INDICATORS, Measure
from entraide.observatory.domain.protection import TOTAL, lines_of
from entraide.observatory.entrypoints.consumers.events import TOPICS
from entraide.observatory.usecases.publish import Observatory
from entraide.privacy.app import create_app as create_privacy
from tests.auth_support import DevIssuer
from tests.deploy.test_demo_volunteers import demo_module
from tests.infra import Endpoints, settings_on
from tests.privacy_support import (
    AUTH_FIELDS,
    REGISTRY_TIMEOUT,
    _warm_up,
    case_when,
    closed,
    observatory_app,
    vault_client,
    vault_keys,
)
from tests.support import eventually, serving

pytestmark = [pytest.mark.kafka, pytest.mark.store]
K = 5
Cells = Counter[tuple[str, str, str]]  # (territory, month, column value) → families


@contextlib.asynccontextmanager
async def demo_network(
    infra: Endpoints, unique: str, intake_settings: Any, privacy_settings: Any, issuer: DevIssuer
) -> AsyncIterator[dict[str, tuple[FastAPI, httpx.AsyncClient]]]:
    """The four services and the observatory in-process, as `make up` runs them: directory
    publishes offers and volunteers on the network's topics, staff sign in at the issuer."""
    quick = {"graceful_timeout_seconds": 2.0}
    privacy = create_privacy(privacy_settings.model_copy(update=quick))
    intake_settings = intake_settings.model_copy(update=quick)
    trusted = {k: getattr(intake_settings, k) for k in AUTH_FIELDS}
    apps = {
        "privacy": privacy,
        "intake": create_intake(intake_settings, keys=vault_keys(privacy, intake_settings)),
        "matching": create_matching(
            settings_on(
                MatchingSettings,
                infra,
                f"test_matching_{unique}",
                batch_interval_seconds=2,
                **quick,
                **trusted,
            )
        ),
        "directory": create_directory(
            issuer.settings_for(
                settings_on(DirectorySettings, infra, f"test_directory_{unique}", **quick)
            ),
            keys=SubjectKeys(vault_client(privacy, "directory"), SubjectKind.VOLUNTEER.value),
        ),
        "observatory": observatory_app(infra, unique, quick),
    }
    async with contextlib.AsyncExitStack() as stack:
        stack.callback(shutil.rmtree, apps["observatory"].state.settings.data_dir, True)
        served = {n: (a, await stack.enter_async_context(serving(a))) for n, a in apps.items()}
        await _warm_up(privacy, set(apps) & set(privacy_settings.rights_services))
        yield served


async def load_demo(
    directory: httpx.AsyncClient, intake: httpx.AsyncClient, token: str
) -> list[str]:
    """deploy/demo's volunteers (approved, honorability cleared), families and offers, in
    `make up`'s order, through the same API calls; the families' request ids."""
    staff = {"authorization": f"Bearer {token}"}
    volunteers, families = demo_module("volunteers"), demo_module("load")
    for n, (first_name, association, postal_code, needs, languages) in enumerate(
        volunteers.VOLUNTEERS
    ):
        application = {
            "identity": {"prenom": first_name, "nom": "Exemple", "courriel": f"b{n}@example.org"},
            "association_id": association,
            "code_postal": postal_code,
            "needs": needs,
            "availability": volunteers.SLOTS,
            "languages": languages,
            "capacity": 1,
            "consent": True,
        }
        applied = await directory.post("/api/v1/volunteers", json=application)
        assert applied.status_code == 201, applied.text
        review = f"/api/v1/staff/volunteers/{applied.json()['volunteer_id']}"
        cleared = {"status": "in-review", "honorability": "cleared"}
        assert (await directory.patch(review, json=cleared, headers=staff)).status_code == 200
        approved = await directory.patch(review, json={"status": "approved"}, headers=staff)
        assert approved.status_code == 200, approved.text
    request_ids = []
    for body in families.bodies():
        recorded = await intake.post("/api/v1/requests", json=body, headers=staff)
        assert recorded.status_code == 201, recorded.text
        request_ids.append(recorded.json()["request_id"])
    for association, offer in demo_offers():
        published = await directory.post(
            "/api/v1/staff/offers",
            params={"association": association},
            content=offer.model_dump_json(),
            headers=staff | {"content-type": "application/json"},
        )
        assert published.status_code == 201, published.text
    return request_ids


@contextlib.asynccontextmanager
async def reader(bootstrap: str) -> AsyncIterator[AIOKafkaConsumer]:
    """A consumer of every partition of the observatory's topics (no group), assigned."""
    consumer = AIOKafkaConsumer(
        *TOPICS, bootstrap_servers=bootstrap, group_id=None, auto_offset_reset="earliest"
    )
    await consumer.start()
    try:
        while len({tp.topic for tp in consumer.assignment()}) < len(TOPICS):
            await consumer.getmany(timeout_ms=200)  # without a group: assigned at once
        yield consumer
    finally:
        await consumer.stop()


async def end_offsets(bootstrap: str) -> dict[TopicPartition, int]:
    async with reader(bootstrap) as consumer:
        return dict(await consumer.end_offsets(list(consumer.assignment())))


async def start_from_now(bootstrap: str, group: str) -> dict[TopicPartition, int]:
    """Commit the observatory's group at the topics' current ends, before it starts: it
    then reads only what this test causes. (The topics are shared with the session's other
    tests, whose event sequences, faults included, are not the demo network's: counted
    from the beginning, a first proposal came out one more than the independent count.)"""
    starts = await end_offsets(bootstrap)
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=group)
    await consumer.start()
    try:
        consumer.assign(list(starts))
        await consumer.commit(dict(starts))
    finally:
        await consumer.stop()
    return starts


async def read_up_to(
    bootstrap: str,
    ends: dict[TopicPartition, int],
    starts: dict[TopicPartition, int] | None = None,
) -> list[Any]:
    """Every event of the observatory's topics between these offsets (from the beginning
    without `starts`), in time order."""
    events = []
    async with reader(bootstrap) as consumer:
        for tp in ends:
            consumer.seek(tp, (starts or {}).get(tp, 0))
        while any([await consumer.position(tp) < end for tp, end in ends.items()]):
            for tp, batch in (await consumer.getmany(timeout_ms=500)).items():
                for record in batch:
                    if record.offset >= ends[tp] or record.value is None:
                        continue
                    with contextlib.suppress(Exception):  # other tests' poison records
                        events.append(parse_event(record.value))
    return sorted(events, key=lambda e: e.time)


async def committed(bootstrap: str, group: str, ends: dict[TopicPartition, int]) -> bool:
    """Whether the group has committed every partition up to these offsets."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        done = await admin.list_consumer_group_offsets(group)
    finally:
        await admin.close()
    return all(end == 0 or (tp in done and done[tp].offset >= end) for tp, end in ends.items())


async def settled(observatory: Observatory, bootstrap: str, group: str) -> dict[Any, int]:
    """Refresh once the observatory has read every topic to its end and no event came
    meanwhile (matching proposes on its own); the offsets the figures stand for."""
    for _ in range(20):
        ends = await end_offsets(bootstrap)
        assert len({tp.topic for tp in ends}) == len(TOPICS)
        await eventually(
            lambda: committed(bootstrap, group, ends),  # noqa: B023 (awaited in this turn)
            timeout=120,
            what="the observatory read the topics",
        )
        await observatory.refresh()
        if await end_offsets(bootstrap) == ends:
            return ends
    raise AssertionError("the topics never stood still")


def month(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m")


def independent_counts(events: list[Any], year: str) -> dict[str, Cells]:
    """The indicators' cells counted from the events, without the observatory's code."""
    requests: dict[str, RequestSubmitted] = {}
    for e in events:
        if isinstance(e.data, RequestSubmitted) and e.data.request_id not in requests:
            requests[e.data.request_id] = e.data
    in_year = [r for r in requests.values() if month(r.submitted_at).startswith(year)]
    per = Counter(r.departement for r in in_year)
    where = {d: d if n >= 30 else "autres" for d, n in per.items()}
    counts: dict[str, Cells] = {k: Counter() for k in BY_KEY}
    for r in in_year:
        at = (where[r.departement], month(r.submitted_at))
        for need in r.needs:
            counts["demande-besoin"][(*at, need)] += 1
        counts["demande-urgence"][(*at, r.urgency.value)] += 1
        counts["demande-canal"][(*at, r.channel.value)] += 1
        for sign in r.signs:
            counts["demande-situations"][(*at, sign.value)] += 1
    first: set[str] = set()
    days: dict[tuple[str, str, str], list[float]] = {}
    for e in events:
        p = e.data
        if isinstance(p, MatchProposed) and p.request_id in requests and p.request_id not in first:
            first.add(p.request_id)
            r = requests[p.request_id]
            if month(p.proposed_at).startswith(year):
                cell = (where.get(r.departement, "autres"), month(p.proposed_at), r.urgency.value)
                counts["delai-proposition"][cell] += 1
                days.setdefault(cell, []).append(
                    (p.proposed_at - r.submitted_at).total_seconds() / 86400
                )
    counted: set[tuple[str, str]] = set()
    approved: set[str] = set()
    for e in events:
        d, at = e.data, month(e.time)
        if isinstance(d, OfferWithdrawn):
            counted = {c for c in counted if c[0] != d.offer_id}
        if isinstance(d, OfferState):
            at = month(getattr(d, "published_at", None) or getattr(d, "updated_at"))  # noqa: B009
            if at.startswith(year) and (d.offer_id, at) not in counted:
                counted.add((d.offer_id, at))
                for dep in d.departements:
                    for need in d.needs:
                        counts["offre-places"][(where.get(dep, "autres"), at, need)] += (
                            d.capacity or 0
                        )
        if (
            isinstance(d, VolunteerAvailability)
            and d.approved_at
            and d.volunteer_ref not in approved
        ):
            approved.add(d.volunteer_ref)
            if month(d.approved_at).startswith(year):
                for need in d.needs:
                    place = (where.get(d.departement, "autres"), month(d.approved_at), need)
                    counts["benevoles-accordes"][place] += 1
        if isinstance(d, VolunteerAvailability):
            at = month(d.changed_at)
            if at.startswith(year) and (d.volunteer_ref, at) not in counted:
                counted.add((d.volunteer_ref, at))
                territory = where.get(d.departement, "autres")
                state = "active" if d.active else "paused"
                counts["benevoles-statut"][(territory, at, state)] += 1
                for need in d.needs if d.active else ():
                    counts["offre-benevoles"][(territory, at, need)] += 1
    cases: set[str] = set()
    for e in events:
        if isinstance(e.data, ErasureRequested) and e.data.case_id not in cases:
            cases.add(e.data.case_id)
            if month(e.time).startswith(year):
                counts["effacements"][("reseau", month(e.time), e.data.reason.value)] += 1
    counts["_days"] = days  # type: ignore[assignment]
    return counts


def check_against(observatory: Observatory, year: str, key: str, expected: Cells) -> int:
    """Every cell of the indicator's cube (territory, month, value; no margin) is either
    shown and equal to the count, or hidden because it counts 1 to 4 families or sits on a
    line with another hidden cell; the number of cells shown."""
    published = observatory.published(BY_KEY[key], year, None)
    assert published is not None, key
    places = published.indicator.measure is Measure.PLACES
    cells = published.cells
    shown = 0
    for (territory, at, value, _), cell in cells.items():
        if TOTAL in (territory, at, value):
            continue
        want = expected.get((territory, at, value), 0)
        if cell.hidden:
            assert not places, key
            lines = [line for line in lines_of(cells) if (territory, at, value, TOTAL) in line]
            beside = any(
                cells[k].hidden
                for line in lines
                for k in line
                if k != (territory, at, value, TOTAL)
            )
            assert 0 < want < K or beside, (key, territory, at, value, want)
            continue
        figure = cell.places if places else cell.count
        assert figure == want, (key, territory, at, value)
        shown += 1
    for (territory, at, value), want in expected.items():
        if not places:  # every family counted is in the cube, shown or hidden
            assert (territory, at, value, TOTAL) in cells, (key, territory, at, value, want)
    return shown


async def test_the_demo_network_yields_every_indicator_and_each_figure_agrees(
    infra: Endpoints, unique: str, intake_settings, privacy_settings, dev_issuer: DevIssuer, mongo
) -> None:
    starts = await start_from_now(
        infra.kafka_bootstrap, f"test_observatory_{unique}-observatory-facts"
    )
    async with demo_network(infra, unique, intake_settings, privacy_settings, dev_issuer) as net:
        token = await dev_issuer.token_for("coordination-reseau")
        (_, directory), (_, intake) = net["directory"], net["intake"]
        request_ids = await load_demo(directory, intake, token)
        families = mongo[intake_settings.database]["families"]
        erased = await families.find_one({"requests.request_id": request_ids[0]})
        ref = erased["family_ref"]
        obs_app, _ = net["observatory"]
        obs_db = obs_app.state.db

        async def all_open() -> bool:
            found = await obs_db["episodes"].count_documents({"request_id": {"$in": request_ids}})
            return found == len(request_ids)

        await eventually(all_open, timeout=120, what="the observatory sees the demo requests")

        # an erasure crossing the seam: privacy waits for the observatory's answer too
        _, privacy = net["privacy"]
        subjects = mongo[privacy_settings.database]["subjects"]
        await eventually(
            lambda: subjects.find_one({"_id": ref}), timeout=REGISTRY_TIMEOUT, what="subject"
        )
        dpo = {"Authorization": f"Bearer {await dev_issuer.token_for('dpo')}"}
        opened = await privacy.post(
            "/api/v1/cases", json={"kind": "erasure", "subject_ref": ref}, headers=dpo
        )
        assert opened.status_code == 201, opened.text
        privacy.headers.update(dpo)
        case = await case_when(privacy, opened.json()["case_id"], closed)
        assert "observatory" in case["acks"]
        assert case["acks"]["observatory"]["counts"].get("episodes", 0) <= 1  # open, or closed
        assert await obs_db["episodes"].count_documents({"family_ref": ref}) == 0

        observatory = lookup(obs_app, Observatory)
        settings = obs_app.state.settings
        group = f"{consumer_group(settings, 'observatory')}-facts"
        ends = await settled(observatory, infra.kafka_bootstrap, group)
        assert group == f"test_observatory_{unique}-observatory-facts"  # the one started now
        events = await read_up_to(infra.kafka_bootstrap, ends, starts)

    year = str(datetime.now(UTC).year)
    demo = {e.data.request_id for e in events if isinstance(e.data, RequestSubmitted)}
    assert set(request_ids) <= demo  # the demo's events are among those counted
    # the facts the observatory needs travel: the signs noted, the volunteers' approval
    submitted = {e.data.request_id: e.data for e in events if isinstance(e.data, RequestSubmitted)}
    montreuil = sorted(str(sign) for sign in submitted[request_ids[2]].signs)
    assert montreuil == ["isolement-social", "probleme-de-sante", "rupture-recente"]
    timed = [
        v.volunteer_ref
        for e in events
        if isinstance(v := e.data, VolunteerAvailability)
        and v.applied_at is not None
        and v.approved_at is not None
        and v.applied_at <= v.approved_at
    ]
    assert len(set(timed)) >= len(demo_module("volunteers").VOLUNTEERS)
    # every indicator is computed for the year (its figures shown or hidden)
    assert {i.key for i in INDICATORS} <= {key for key, y, _ in observatory.cache if y == year}
    expected = independent_counts(events, year)
    shown = {
        key: check_against(observatory, year, key, expected[key])
        for key in (
            "demande-besoin",
            "demande-urgence",
            "demande-canal",
            "demande-situations",
            "offre-places",
            "offre-benevoles",
            "benevoles-statut",
            "benevoles-accordes",
            "delai-proposition",
            "effacements",
        )
    }
    # the demo's offers are published places (associations', not families'), the year's
    # requests in all and the erasures counted (this test's at least) shown
    assert shown["offre-places"] > 0
    canal = observatory.table(BY_KEY["demande-canal"], year)
    assert canal is not None
    total = canal.cell(TOTAL, TOTAL)
    year_requests = sum(expected["demande-canal"].values())
    assert total.hidden == (0 < year_requests < K)
    assert total.hidden or total.count == year_requests
    # time to a first proposal: median and 90th percentile where shown
    days = expected["_days"]  # type: ignore[index]
    for (territory, at, urgency, _), cell in observatory.published(
        BY_KEY["delai-proposition"], year, None
    ).cells.items():
        if TOTAL in (territory, at, urgency) or cell.hidden:
            continue
        values = days[(territory, at, urgency)]  # type: ignore[index]
        assert cell.median == pytest.approx(statistics.median(values))
