"""The whole journey across the four services, run as processes on the real Kafka and
store, with Chromium where a person acts (issue 13, item 4).

A volunteer applies on directory's /devenir-benevole; the association (UNAF in the Nièvre)
clears the honorability check and approves them on its page; staff of the centres sociaux
record a family in Nevers with consent to matching and sharing; matching proposes that
volunteer, and UNAF's coordinator reads the proposal on /propositions, the volunteer named
as the page names them, and accepts it; the family's record then opens to UNAF (consent to
sharing); on /suivis the coordinator starts the match, notes a check-in and closes it
with an outcome. Intake's record of the family shows each step
(orientation history, in the API and on the page the centres sociaux read) and privacy's
subject registry moved the family's retention clock (last contact) at each contact. A second family withdraws its consent mid-way (after its
match was accepted): the match ends and nothing more is proposed to it, although the
volunteer has room. A third family objects through the DPO: the case is routed to intake,
acknowledged and closed.

Matching has no test clock: the one- and three-month follow-ups may be noted only from a
week before their due day, so the day the match starts the coordinator notes « Autre
point » ("Noter le suivi" on /suivis); the due dates are tests/unit/matching's.

On the main of this morning (d3094bc) this test fails on the honorability bug (reasoned
from that commit's code, not run): directory stored and announced no validity for a cleared
check (`availability_event` did not set `honorability_valid_until`), so the association's
page says no "valable jusqu'au" (the first check to fail), and without that check
"matching proposes the approved volunteer" times out: matching's hard rule
(`support_unfit`: honorability-check-missing) refused every volunteer approved on
directory's pages and the family was waitlisted instead.
"""

import contextlib
import json
import subprocess
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from playwright.async_api import Browser, Page, expect

from entraide.contracts.topics import MATCHES, PARTNER_RAW, REQUESTS, VOLUNTEERS
from tests.auth_support import DevIssuer
from tests.infra import Endpoints, ServiceProcess, free_port
from tests.support import eventually, request_body, scratch_topic

SERVICES = ("directory", "intake", "matching", "privacy")
STEP = 60  # seconds for one hop across Kafka (consumers joining their groups at first)
NEED = "parrainage-de-proximite"
SLOT = {"day": "sa", "part": "morning"}  # "samedi matin" on directory's form


@pytest.fixture
async def journey(
    infra: Endpoints, tmp_path: Path, dev_issuer: DevIssuer
) -> AsyncIterator[dict[str, str]]:
    """The four services as processes, with databases and consumer groups of their own.

    Directory and matching share volunteers and offers topics of this run: the shared ones
    may hold volunteers and offers in Nevers (earlier runs, `make up`'s demo on the same
    broker) that matching would propose instead. Requests and matches go through the
    real shared topics, read from now on (`start_at_the_end`); privacy still reads the
    shared volunteers topic only, so the volunteer's own registry entry is not checked."""
    run = f"journey_{uuid.uuid4().hex[:8]}"
    ports = {service: free_port() for service in SERVICES}
    urls = {service: f"http://127.0.0.1:{port}" for service, port in ports.items()}
    bootstrap = infra.kafka_bootstrap
    async with (
        scratch_topic(bootstrap, "journey.volunteers") as volunteers,
        scratch_topic(bootstrap, "journey.offers") as offers,
    ):
        env = {
            "ENTRAIDE_KAFKA_BOOTSTRAP": bootstrap,
            "ENTRAIDE_MONGODB_URI": infra.mongodb_uri,
            "ENTRAIDE_CONSUMER_GROUP_PREFIX": run,
            "ENTRAIDE_VOLUNTEERS_TOPIC": volunteers,
            "ENTRAIDE_OFFERS_TOPIC": offers,
            "ENTRAIDE_KEYVAULT_URL": urls["privacy"],
            "ENTRAIDE_INTAKE_URL": urls["intake"],
            "ENTRAIDE_DIRECTORY_URL": urls["directory"],
            "ENTRAIDE_PRIVACY_URL": urls["privacy"],  # the DPO's home, after signing in
            "ENTRAIDE_PUBLIC_RATE_LIMIT": "100000/minute",
            "ENTRAIDE_OUTBOX_IDLE_POLL_SECONDS": "0.2",
            "ENTRAIDE_SCHEDULER": "true",
            "ENTRAIDE_BATCH_INTERVAL_SECONDS": "3",
            # the journey runs the four services without the observatory (its pages have
            # their own e2e test; it answers privacy in the `processes` fixture's runs)
            "ENTRAIDE_RIGHTS_SERVICES": json.dumps(SERVICES),
            **{f"ENTRAIDE_{k.upper()}": v or "" for k, v in dev_issuer.auth_settings().items()},
            **{f"ENTRAIDE_{s.upper()}_PORT": str(p) for s, p in ports.items()},
            **{f"ENTRAIDE_{s.upper()}_DATABASE": f"{run}_{s}" for s in SERVICES},
        }
        await start_at_the_end(
            bootstrap,
            {
                f"{run}-intake": [PARTNER_RAW.name],
                f"{run}-intake-matches": [MATCHES.name],
                f"{run}-matching": [REQUESTS.name],
                f"{run}-privacy-contacts": [REQUESTS.name, MATCHES.name, VOLUNTEERS.name],
            },
        )
        started = [
            ServiceProcess(service, env, tmp_path / f"{service}.log").start()
            for service in SERVICES
        ]
        try:
            yield urls | {"run": run}
        finally:
            for service in started:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    service.stop()


async def start_at_the_end(bootstrap: str, groups: dict[str, list[str]]) -> None:
    """Commit each new consumer group's offsets at the end of these shared topics, so the
    services start from now instead of replaying every earlier test's requests and matches
    (minutes on a broker kept between sessions; a group renamed here just replays)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        described = await admin.describe_topics(sorted({t for ts in groups.values() for t in ts}))
    finally:
        await admin.close()
    partitions = {d["topic"]: [p["partition"] for p in d["partitions"]] for d in described}
    for group, topics in groups.items():
        parts = [TopicPartition(t, p) for t in topics for p in partitions[t]]
        consumer = AIOKafkaConsumer(
            bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=False
        )
        await consumer.start()
        try:
            consumer.assign(parts)
            await consumer.commit(dict(await consumer.end_offsets(parts)))
        finally:
            await consumer.stop()


@contextlib.asynccontextmanager
async def person(browser: Browser) -> AsyncIterator[Page]:
    """A person's own browser (cookies of their own), French, phone-sized."""
    context = await browser.new_context(locale="fr-FR", viewport={"width": 390, "height": 844})
    try:
        yield await context.new_page()
    finally:
        await context.close()


async def open_signed_in(page: Page, url: str, username: str) -> None:
    """Open a staff page, signing in on the service's /connexion form if it asks."""
    await page.goto(url)
    if "/connexion" in page.url:
        await page.get_by_label("Identifiant").fill(username)
        await page.get_by_label("Mot de passe").fill("demo")
        await page.get_by_role("button", name="Se connecter").click()
        await page.wait_for_url(lambda u: "/connexion" not in u)


def family(surname: str, phone: str, **changes: Any) -> dict[str, Any]:
    """A family in Nevers recorded by the centres sociaux, consenting to matching and sharing."""
    body = request_body()
    body["parent"] |= {
        "last_name": surname,
        "phone": phone,
        "email": f"{surname.lower()}@example.org",
    }
    body |= {
        "postal_code": "58000",
        "commune": "Nevers",
        "needs": [NEED],
        "availability": [SLOT],
        "association_id": "centres-sociaux",
    }
    body["consent"] |= {"sharing": True, "collected_by": "Léa (centres sociaux)"}
    return body | changes


async def ready(http: httpx.AsyncClient, urls: dict[str, str]) -> bool:
    try:
        codes = [(await http.get(f"{urls[s]}/readyz")).status_code for s in SERVICES]
    except httpx.TransportError:
        return False
    return codes == [200] * len(SERVICES)


async def signed_in(
    http: httpx.AsyncClient, urls: dict[str, str], dev_issuer: DevIssuer, db: dict[str, Any]
) -> "Journey":
    """The journey's APIs as its three people: Nièvre's staff, UNAF's coordinator, the DPO."""
    tokens = {
        "staff": await dev_issuer.token_for("centres-sociaux-nievre"),
        "coordinator": await dev_issuer.token_for("coordination-unaf"),
        "dpo": await dev_issuer.token_for("dpo"),
    }
    return Journey(http, urls, tokens, db)


class Journey:
    """The services' APIs and databases as the test reads them, each call made as the
    right person; remembers the families it recorded, to withdraw their consent at the end
    (the shared requests topic keeps them: no later run's matching may propose them)."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        urls: dict[str, str],
        tokens: dict[str, str],
        db: dict[str, Any],
    ):
        self.http, self.urls, self.tokens, self.db = http, urls, tokens, db
        self.families: list[str] = []

    def as_(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"}

    async def record(self, body: dict[str, Any]) -> dict[str, str]:
        """Staff record the family; its request id, family id and pseudonymous reference."""
        url = f"{self.urls['intake']}/api/v1/requests"
        answer = await self.http.post(url, json=body, headers=self.as_("staff"))
        assert answer.status_code == 201, answer.text
        request_id = answer.json()["request_id"]
        found = await self.db["intake"]["families"].find_one({"requests.request_id": request_id})
        self.families.append(found["_id"])
        return {"request_id": request_id, "family_id": found["_id"], "ref": found["family_ref"]}

    async def family(self, family_id: str) -> dict[str, Any]:
        url = f"{self.urls['intake']}/api/v1/families/{family_id}"
        answer = await self.http.get(url, headers=self.as_("staff"))
        assert answer.status_code == 200, answer.text
        return answer.json()  # type: ignore[no-any-return]

    async def steps(self, family_id: str) -> list[dict[str, Any]]:
        """The request's orientation history on the family's record in intake."""
        record = await self.family(family_id)
        return record["requests"][0]["orientation"]  # type: ignore[no-any-return]

    async def proposal(self, request_id: str) -> dict[str, Any]:
        """The request's proposal waiting for UNAF's answer ({} if none)."""
        url = f"{self.urls['matching']}/api/v1/proposals"
        found = (await self.http.get(url, headers=self.as_("coordinator"))).json()
        return next((p for p in found["proposals"] if p["request_id"] == request_id), {})

    async def withdraw_consent(self, family_id: str) -> httpx.Response:
        consent = {
            "matching": False,
            "sharing": False,
            "collected_by": "Léa (centres sociaux)",
            "collected_at": datetime.now(UTC).isoformat(),
        }
        url = f"{self.urls['intake']}/api/v1/families/{family_id}/consent"
        return await self.http.put(url, json={"consent": consent}, headers=self.as_("staff"))

    async def withdraw_all(self) -> None:
        for family_id in self.families:
            with contextlib.suppress(httpx.HTTPError):
                await self.withdraw_consent(family_id)


class RetentionClock:
    """A family's last contact in privacy's subject registry, as it moves."""

    def __init__(self, registry: Any, ref: str):
        self.registry, self.ref = registry, ref
        self.seen: list[datetime] = []

    async def known(self) -> bool:
        subject = await self.registry.find_one({"_id": self.ref})
        if subject:
            self.seen = [subject["last_contact_at"]]
        return bool(subject)

    async def moved(self) -> bool:
        subject = await self.registry.find_one({"_id": self.ref})
        if subject and subject["last_contact_at"] > self.seen[-1]:
            self.seen.append(subject["last_contact_at"])
            return True
        return False


async def apply_as_volunteer(browser: Browser, directory: str) -> None:
    """A would-be volunteer in Nevers applies to UNAF on directory's public page."""
    async with person(browser) as page:
        await page.goto(f"{directory}/devenir-benevole")
        await page.get_by_role("textbox", name="Prénom").fill("Rose")
        await page.get_by_role("textbox", name="Nom", exact=True).fill("Parcours-Inventé")
        await page.get_by_label("Adresse électronique").fill("rose.parcours@example.org")
        await page.get_by_label("Code postal").fill("58000")
        await page.get_by_role("combobox", name="Association", exact=True).select_option("unaf")
        await page.get_by_label("Parrainage de proximité").check(force=True)
        await page.get_by_label("samedi matin").check(force=True)
        await page.get_by_label("Combien de familles").fill("2")
        await page.get_by_label("J'accepte que l'association choisie").check(force=True)
        await page.get_by_role("button", name="Envoyer ma candidature").click()
        await expect(page.get_by_role("status")).to_contain_text("UNAF vous contactera")


async def approve_with_cleared_check(browser: Browser, directory: str) -> None:
    """UNAF's staff clear the honorability check, then approve, on the association's page."""
    async with person(browser) as page:
        await open_signed_in(page, f"{directory}/association", "unaf-nievre")
        for status, check in (("in-review", "cleared"), ("approved", "")):
            card = page.locator(".benevole").filter(has_text="Rose Parcours-Inventé")
            await card.get_by_label("Nouvel état").select_option(status)
            if check:
                await card.get_by_label("Attestation d'honorabilité").select_option(check)
            await card.get_by_role("button", name="Enregistrer").click()
            await expect(page.get_by_role("status")).to_contain_text("mise à jour")
        card = page.locator(".benevole").filter(has_text="Rose Parcours-Inventé")
        await expect(card).to_contain_text("Validée")
        await expect(card).to_contain_text("valable jusqu'au")


async def read_and_accept(page: Page, api: Journey, first: dict[str, str], ref: str) -> None:
    """UNAF's coordinator reads the proposal on /propositions and accepts it; the family's
    record stays closed to UNAF until then."""
    directory, intake, matching = api.urls["directory"], api.urls["intake"], api.urls["matching"]
    by_ref = f"{intake}/familles/par-reference/{first['ref']}"
    await open_signed_in(page, by_ref, "coordination-unaf")
    before = await page.goto(by_ref)
    assert before is not None
    assert before.status == 404, "not UNAF's family before it accepts"
    await open_signed_in(page, f"{matching}/propositions", "coordination-unaf")
    shown = page.locator(f'article[data-request="{first["request_id"]}"]')
    await expect(shown).to_contain_text("Famille à Nevers ou alentours (58000)")
    await expect(shown).to_contain_text("suivie par la Fédération des centres sociaux")
    await expect(shown).to_contain_text(
        "Bénévole de l'UNAF : Nevers ou alentours (58000) · parle français"
    )
    await expect(shown.get_by_role("link", name="voir le bénévole")).to_have_attribute(
        "href", f"{directory}/association?benevole={ref}"
    )
    await shown.get_by_role("button", name="Accepter").click()
    await expect(page.get_by_role("status")).to_contain_text("Proposition acceptée")


async def open_the_record_from_the_follow_up(page: Page, api: Journey, family_id: str) -> None:
    """From /suivis, the family's record in intake, once intake shared it with UNAF."""
    matching = api.urls["matching"]

    async def shared() -> bool:
        await page.goto(f"{matching}/suivis")
        link = page.get_by_role("link", name="ouvrir la fiche de la famille")
        if not await link.count():
            return False
        await link.first.click()
        await page.wait_for_load_state()
        return "Parcours" in await page.content()

    await eventually(shared, timeout=STEP, what="the family's record opens to UNAF")
    assert page.url == f"{api.urls['intake']}/familles/{family_id}"


async def follow_and_close(page: Page, matching: str, clock: RetentionClock) -> None:
    """On /suivis: start, the one- and three-month check-ins, closed with an outcome; each
    a contact that moves the family's retention clock."""
    await page.goto(f"{matching}/suivis")
    followed = page.locator("article").filter(has_text="Famille à Nevers ou alentours (58000)")
    await followed.get_by_role("button", name="Marquer commencé").click()
    await expect(page.get_by_role("status")).to_contain_text("commencé")
    await eventually(clock.moved, timeout=STEP, what="started: the retention clock")
    followed = page.locator("article").filter(has_text="Commencée")
    await expect(followed).to_contain_text("Suivi à un mois : à noter à partir du")
    await followed.get_by_label("Suivi", exact=True).select_option("other")
    await followed.get_by_role("button", name="Noter le suivi").click()
    await expect(page.get_by_role("status")).to_contain_text("Suivi noté")
    await eventually(clock.moved, timeout=STEP, what="checked in: the retention clock")
    followed = page.locator("article").filter(has_text="Commencée")
    await followed.get_by_label("Issue").select_option("completed")
    await followed.get_by_role("button", name="Clore l'accompagnement").click()
    await expect(page.get_by_role("status")).to_contain_text("clos")
    await eventually(clock.moved, timeout=STEP, what="closed: the retention clock")


async def see_the_history(browser: Browser, intake: str, family_id: str) -> None:
    """The centres sociaux read the orientation history on the family's record."""
    async with person(browser) as page:
        await open_signed_in(page, f"{intake}/familles/{family_id}", "centres-sociaux-nievre")
        history = page.locator("ol.orientation")
        for state, said in (
            ("proposed", "Proposée — UNAF (un ou une bénévole)"),
            ("accepted", "Acceptée — UNAF"),
            ("started", "Accompagnement commencé — UNAF"),
            ("closed", "Mise en relation terminée — UNAF : accompagnement mené à son terme"),
        ):
            await expect(history.locator(f".etape-{state}").first).to_contain_text(said)


async def withdraw_mid_way(api: Journey, second: dict[str, str]) -> None:
    """The second family's proposal is accepted, then its consent withdrawn: the match
    ends (consent-withdrawn) and privacy's registry notes it."""
    offered = await eventually(
        lambda: api.proposal(second["request_id"]), timeout=STEP, what="second proposal"
    )
    decided = await api.http.post(
        f"{api.urls['matching']}/api/v1/proposals/{offered['match_id']}",
        json={"decision": "accept"},
        headers=api.as_("coordinator"),
    )
    assert decided.status_code == 200, decided.text
    changed = await api.withdraw_consent(second["family_id"])
    assert changed.status_code == 200, changed.text
    assert changed.json()["requests_revised"] == 1

    async def ended() -> dict[str, Any]:
        steps = await api.steps(second["family_id"])
        return next((s for s in steps if s["state"] == "closed"), {})

    closing = await eventually(ended, timeout=STEP, what="the second family's match ends")
    assert closing["outcome"] == "consent-withdrawn"
    await eventually(
        lambda: api.db["privacy"]["subjects"].find_one(
            {"_id": second["ref"], "consent_to_matching": False}
        ),
        timeout=STEP,
        what="privacy's registry notes the withdrawal",
    )


async def object_through_the_dpo(api: Journey, third: dict[str, str]) -> None:
    """The DPO opens an objection case: routed to intake, acknowledged, closed."""
    privacy, dpo = api.urls["privacy"], api.as_("dpo")
    opened = await api.http.post(
        f"{privacy}/api/v1/cases",
        json={"kind": "objection", "subject_ref": third["ref"]},
        headers=dpo,
    )
    assert opened.status_code == 201, opened.text
    assert opened.json()["services"] == ["intake"]
    case_url = f"{privacy}/api/v1/cases/{opened.json()['case_id']}"

    async def closed() -> dict[str, Any]:
        case: dict[str, Any] = (await api.http.get(case_url, headers=dpo)).json()
        return case if case["status"] == "closed" else {}

    case = await eventually(closed, timeout=90, what="the objection case closes")
    assert case["decision"] == "done"
    assert case["acks"]["intake"]["counts"] == {"families": 1, "requests": 1}
    assert [e["action"] for e in case["audit"]][-2:] == ["ack-received", "case-closed"]
    assert (await api.family(third["family_id"]))["consent"]["matching"] is False


async def test_a_volunteer_and_families_cross_the_four_services(
    journey: dict[str, str], browser: Browser, dev_issuer: DevIssuer, mongo: Any
) -> None:
    urls, run = journey, journey["run"]
    db = {s: mongo[f"{run}_{s}"] for s in SERVICES}
    async with httpx.AsyncClient(timeout=30) as http:
        await eventually(lambda: ready(http, urls), timeout=90, what="four services ready")
        api = await signed_in(http, urls, dev_issuer, db)
        try:
            await walk(api, browser)
        finally:
            await api.withdraw_all()


async def walk(api: Journey, browser: Browser) -> None:
    """The journey, step by step."""
    await apply_as_volunteer(browser, api.urls["directory"])
    await approve_with_cleared_check(browser, api.urls["directory"])
    volunteer = await api.db["directory"]["volunteers"].find_one({"association_id": "unaf"})
    ref = volunteer["volunteer_ref"]

    first = await api.record(family("Parcours", "06 11 22 33 44"))
    clock = RetentionClock(api.db["privacy"]["subjects"], first["ref"])
    await eventually(clock.known, timeout=STEP, what="privacy's registry knows the family")
    # the batch (every 3 s) places the family if the volunteer reached matching after it
    proposal = await eventually(
        lambda: api.proposal(first["request_id"]),
        timeout=STEP,
        what="matching proposes the approved volunteer (d3094bc: honorability missing)",
    )
    assert (proposal["support_key"], proposal["association_id"]) == (f"volunteer:{ref}", "unaf")

    async with person(browser) as page:
        await read_and_accept(page, api, first, ref)
        await eventually(clock.moved, timeout=STEP, what="accepted: the retention clock")
        # mid-way, a second family is recorded: the volunteer's other place
        second = await api.record(family("Retrait", "06 55 66 77 88"))
        await open_the_record_from_the_follow_up(page, api, first["family_id"])
        await follow_and_close(page, api.urls["matching"], clock)

    # the match's own steps: once closed, the family is open again for matching, whose
    # batch may propose it anew (a known gap: a completed support is not an end here)
    async def closed_in_intake() -> list[dict[str, Any]]:
        steps = await api.steps(first["family_id"])
        mine = [s for s in steps if s.get("match_id") == proposal["match_id"]]
        return mine if [s["state"] for s in mine][-1:] == ["closed"] else []

    steps = await eventually(closed_in_intake, timeout=STEP, what="intake notes the closing")
    assert [s["state"] for s in steps] == ["proposed", "accepted", "started", "closed"]
    assert {s["association_id"] for s in steps} == {"unaf"}
    assert steps[-1]["outcome"] == "completed"
    await see_the_history(browser, api.urls["intake"], first["family_id"])
    followed = await api.db["matching"]["matches"].find_one({"_id": proposal["match_id"]})
    assert [c["kind"] for c in followed["check_ins"]] == ["other"]
    assert len(clock.seen) == 5  # recorded; accepted, started, the check-in, closed

    await withdraw_mid_way(api, second)
    third = await api.record(family("Objection", "06 99 88 77 66", needs=["acces-aux-droits"]))
    await object_through_the_dpo(api, third)

    # nothing more was proposed to the second family, though the volunteer has room: the
    # batch ran several rounds (every 3 s) while the objection went through
    history = api.db["matching"]["matches"].find({"request_id": second["request_id"]})
    assert [m["state"] async for m in history] == ["closed"]
    assert await api.proposal(second["request_id"]) == {}
