"""Across intake, matching and privacy (in-process, real Kafka and store): staff see what
matching did with each request (proposed, with the association; waitlisted, with the
reason); a withdrawn consent ends the open match and nothing more is proposed, and
privacy's registry notes it; an objection case is routed to intake, acknowledged, closed.

Matching reads intake's real requests topic and its own scratch volunteers topic, where
the test's volunteer waits in Pornic (no other test's family lives within its reach)."""

import re
import uuid

from markupsafe import escape

from entraide.contracts.topics import REQUESTS
from entraide.intake.app import create_app as intake_app
from entraide.intake.entrypoints.http import labels
from entraide.kit.deps import lookup
from entraide.matching.adapters.matches import MatchStore
from entraide.matching.adapters.volunteers import VolunteerViews
from entraide.matching.app import create_app as matching_app
from entraide.matching.usecases.engine import Engine
from entraide.privacy.adapters.vault import KeyVault
from entraide.privacy.app import create_app as privacy_app
from tests.matching_support import feed, volunteer
from tests.privacy_support import REGISTRY_TIMEOUT, case_when, closed
from tests.support import eventually, request_body, serving

PORNIC = "44210"
REPLAY = 180  # intake and matching replay the shared topics from the start
NEED = "accompagnement-scolaire"


def pornic_family(**changes: object) -> dict[str, object]:
    body = request_body() | {"postal_code": PORNIC, "commune": "Pornic", "needs": [NEED]}
    return body | changes


async def _record(intake, mongo, db: str, body: dict[str, object]) -> dict[str, object]:
    confirmed = body | {"confirm_new": True}  # a test may record the same parent twice
    created = await intake.post("/api/v1/requests", json=confirmed)
    assert created.status_code == 201, created.text
    request_id = created.json()["request_id"]
    family = await mongo[db]["families"].find_one({"requests.request_id": request_id})
    return {"request_id": request_id, "family_id": family["_id"], "ref": family["family_ref"]}


def _steps(record: dict[str, object]) -> list[dict[str, object]]:
    return record["requests"][0]["orientation"]  # type: ignore[index,return-value]


async def _state(intake, family_id: str, state: str) -> dict[str, object] | None:
    record = (await intake.get(f"/api/v1/families/{family_id}")).json()
    return next((s for s in _steps(record) if s["state"] == state), None)


async def test_staff_see_the_proposal_with_its_association_and_the_waitlist_with_its_reason(
    intake_settings, matching_settings, dev_issuer, mongo, staff_bearer
) -> None:
    async with feed(matching_settings.kafka_bootstrap) as world:
        settings = world.settings(
            matching_settings, requests_topic=REQUESTS.name, announce_waitlist=True
        )
        helper = volunteer(uuid.uuid4().hex[:16], postal_code=PORNIC, needs=(NEED,), capacity=20)
        await world.send(world.volunteers, helper, helper.volunteer_ref)
        matching = matching_app(settings)
        async with serving(intake_app(intake_settings)) as intake, serving(matching):
            await eventually(
                lambda: lookup(matching, VolunteerViews).get(helper.volunteer_ref),
                what="matching knows the volunteer",
            )
            intake.headers.update(staff_bearer)
            db = intake_settings.database
            helped = await _record(intake, mongo, db, pornic_family())
            waiting = await _record(intake, mongo, db, pornic_family(needs=["acces-aux-droits"]))

            proposed = await eventually(
                lambda: _state(intake, helped["family_id"], "proposed"),
                timeout=REPLAY,
                what="intake hears of the proposal",
            )
            waitlisted = await eventually(
                lambda: _state(intake, waiting["family_id"], "waitlisted"),
                timeout=REPLAY,
                what="intake hears of the waitlist",
            )
            await dev_issuer.sign_in(intake, "ppm-nantes")
            page = (await intake.get(f"/familles/{helped['family_id']}")).text
            other = (await intake.get(f"/familles/{waiting['family_id']}")).text
            listing = (await intake.get("/familles")).text
            match = await lookup(matching, MatchStore).open_for_request(helped["request_id"])

    assert match is not None
    assert (proposed["association_id"], proposed["support"]) == ("parrains-par-mille", "volunteer")
    assert proposed["match_id"] == match.match_id
    badge = re.search(rf'id="statut-{helped["request_id"]}">([^<]+)<', page)
    assert badge is not None
    assert badge.group(1) == "Proposée · Parrains Par Mille"
    assert "Heure de Paris" in page
    assert "En attente d&#39;orientation" not in page
    assert waitlisted["reason"] in labels.WAITLIST_REASONS  # the rule that stopped most
    assert "En liste d&#39;attente" in other
    assert str(escape(labels.in_sentence(labels.WAITLIST_REASONS[waitlisted["reason"]]))) in other
    assert "Proposée" in listing


async def test_a_withdrawn_consent_ends_the_open_match_and_nothing_more_is_proposed(
    intake_settings, matching_settings, privacy_settings, mongo, staff_bearer
) -> None:
    async with feed(matching_settings.kafka_bootstrap) as world:
        settings = world.settings(matching_settings, requests_topic=REQUESTS.name)
        helper = volunteer(uuid.uuid4().hex[:16], postal_code=PORNIC, needs=(NEED,), capacity=20)
        await world.send(world.volunteers, helper, helper.volunteer_ref)
        matching = matching_app(settings)
        async with (
            serving(intake_app(intake_settings)) as intake,
            serving(matching),
            serving(privacy_app(privacy_settings)),
        ):
            await eventually(
                lambda: lookup(matching, VolunteerViews).get(helper.volunteer_ref),
                what="matching knows the volunteer",
            )
            intake.headers.update(staff_bearer)
            family = await _record(intake, mongo, intake_settings.database, pornic_family())
            store = lookup(matching, MatchStore)
            await eventually(
                lambda: store.open_for_request(family["request_id"]),
                timeout=REPLAY,
                what="a proposal",
            )

            withdrawal = {
                "consent": {
                    "matching": False,
                    "sharing": False,
                    "collected_by": "Claire (PPM)",
                    "collected_at": "2026-11-29T10:00:00Z",
                }
            }
            answer = await intake.put(
                f"/api/v1/families/{family['family_id']}/consent", json=withdrawal
            )
            assert answer.status_code == 200, answer.text
            assert answer.json()["requests_revised"] == 1
            ended = await eventually(
                lambda: _state(intake, family["family_id"], "closed"),
                timeout=REPLAY,
                what="intake hears the match closed",
            )
            assert await store.open_for_request(family["request_id"]) is None
            await lookup(matching, Engine).rebalance()  # the batch proposes nothing more to it
            assert await store.open_for_request(family["request_id"]) is None
            subjects = mongo[privacy_settings.database]["subjects"]
            registered = await eventually(
                lambda: subjects.find_one({"_id": family["ref"], "consent_to_matching": False}),
                timeout=REGISTRY_TIMEOUT,
                what="privacy's registry notes the consent withdrawn",
            )
            assert family["request_id"] not in await store.waiting_ids()
            history = await store.of_request(family["request_id"])

    assert ended["outcome"] == "consent-withdrawn"
    assert [m["state"] for m in history] == ["closed"]  # one match, ended; none after it
    assert registered["consent_to_matching"] is False


async def test_an_objection_is_routed_to_intake_acknowledged_and_closed(
    intake_settings, privacy_settings, mongo, staff_bearer, dev_issuer
) -> None:
    async with (
        serving(intake_app(intake_settings)) as intake,
        serving(privacy_app_ := privacy_app(privacy_settings)) as privacy,
    ):
        intake.headers.update(staff_bearer)
        family = await _record(intake, mongo, intake_settings.database, pornic_family())
        # deployed, intake makes the family's key in privacy's vault as it records her (here
        # its keys are local): privacy opens no case for a reference it does not know
        await lookup(privacy_app_, KeyVault).get_or_create(
            "intake",
            str(family["family_id"]),
            subject_ref=str(family["ref"]),
            subject_kind="family",
        )
        privacy.headers["Authorization"] = f"Bearer {await dev_issuer.token_for('dpo')}"
        opened = await privacy.post(
            "/api/v1/cases", json={"kind": "objection", "subject_ref": family["ref"]}
        )
        assert opened.status_code == 201, opened.text
        assert opened.json()["services"] == ["intake"]
        case = await case_when(privacy, opened.json()["case_id"], closed, timeout=90)
        record = (await intake.get(f"/api/v1/families/{family['family_id']}")).json()

    assert case["decision"] == "done"
    assert case["acks"]["intake"]["counts"] == {"families": 1, "requests": 1}
    assert [e["action"] for e in case["audit"]][-2:] == ["ack-received", "case-closed"]
    assert record["consent"]["matching"] is False
    assert record["requests"][0]["revision"] == 2
