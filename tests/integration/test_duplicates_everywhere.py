"""Duplicate detection the same on every path, against the real store, Kafka and dev
issuer: the staff API answers the possible duplicates (409, summaries in the caller's
scope) and records only once the caller confirms, as the pages do; partners cannot
confirm, so the partner doors record and flag, and the staff pages show the flag. The
family's record shows its exact pseudonymous reference (the one the DPO asks for)."""

import json

from aiokafka import AIOKafkaProducer

from entraide.intake.app import create_app as intake_app
from tests.integration.test_partner_doors import partner_event, signed
from tests.support import IDENTITY_VALUES, eventually, request_body, serving

NORD = {"association_id": "afev", "postal_code": "59000", "commune": "Lille"}


async def _family(mongo, database: str, request_id: str) -> dict:
    return await mongo[database]["families"].find_one({"requests.request_id": request_id})


async def test_the_api_answers_possible_duplicates_and_records_once_confirmed(
    intake_settings, dev_issuer, mongo
) -> None:
    async with serving(intake_app(intake_settings)) as intake:
        ppm = {"Authorization": f"Bearer {await dev_issuer.token_for('ppm-nantes')}"}
        afev = {"Authorization": f"Bearer {await dev_issuer.token_for('afev-lille')}"}
        first = await intake.post("/api/v1/requests", json=request_body(), headers=ppm)
        assert first.status_code == 201, first.text
        assert first.json()["possible_duplicates"] == 0
        again = await intake.post("/api/v1/requests", json=request_body(), headers=ppm)
        # another association, another territory: the same parent, counted, not shown
        elsewhere = await intake.post("/api/v1/requests", json=request_body() | NORD, headers=afev)
        confirmed = await intake.post(
            "/api/v1/requests", json=request_body() | {"confirm_new": True}, headers=ppm
        )
        assert confirmed.status_code == 201, confirmed.text
        # AFEV records its own family anyway: both earlier ones are outside its scope
        afev_confirmed = await intake.post(
            "/api/v1/requests", json=request_body() | NORD | {"confirm_new": True}, headers=afev
        )
        afev_id = (
            await _family(mongo, intake_settings.database, afev_confirmed.json()["request_id"])
        )["_id"]
        afev_record = await intake.get(f"/api/v1/families/{afev_id}", headers=afev)
        second_id = (
            await _family(mongo, intake_settings.database, confirmed.json()["request_id"])
        )["_id"]
        record = await intake.get(f"/api/v1/families/{second_id}", headers=ppm)
        await dev_issuer.sign_in(intake, "ppm-nantes")
        page = await intake.get(f"/familles/{second_id}")

    first_family = await _family(mongo, intake_settings.database, first.json()["request_id"])
    assert again.status_code == 409
    answer = again.json()
    assert answer["code"] == "possible-duplicates"
    assert "confirm_new" in answer["detail"]
    [summary] = answer["possible_duplicates"]
    assert summary["family_id"] == first_family["_id"]
    assert summary["departement"] == "44"
    assert summary["association_id"] == "parrains-par-mille"
    assert summary["request_ids"] == [first.json()["request_id"]]
    assert answer["out_of_scope"] == 0
    assert not [v for v in IDENTITY_VALUES if v in again.text], "no identity in the answer"
    assert elsewhere.status_code == 409
    assert elsewhere.json()["possible_duplicates"] == []
    assert elsewhere.json()["out_of_scope"] == 1
    assert first_family["_id"] not in elsewhere.text
    assert confirmed.json()["possible_duplicates"] == 1
    assert record.json()["possible_duplicates"] == [first_family["_id"]]
    assert record.json()["possible_duplicates_out_of_scope"] == 0
    assert afev_record.json()["possible_duplicates"] == [], "out-of-scope ids are not listed"
    assert afev_record.json()["possible_duplicates_out_of_scope"] == 2
    assert first_family["_id"] not in afev_record.text
    assert second_id not in afev_record.text
    families = mongo[intake_settings.database]["families"]
    assert await families.count_documents({}) == 3, "nothing recorded on a 409"
    assert "Doublon possible" in page.text
    assert "Enregistrée après vérification" in page.text


async def test_partner_doors_record_and_flag_possible_duplicates_shown_to_staff(
    partner_settings, dev_issuer, mongo
) -> None:
    source = partner_settings.partners["caf-44"].source
    families = mongo[partner_settings.database]["families"]
    async with serving(intake_app(partner_settings)) as intake:
        ppm = {"Authorization": f"Bearer {await dev_issuer.token_for('ppm-nantes')}"}
        staff = await intake.post("/api/v1/requests", json=request_body(), headers=ppm)
        assert staff.status_code == 201
        body = partner_event(source, "caf-dup-1")
        by_http = await intake.post("/api/v1/partner-events", content=body, headers=signed(body))
        resent = await intake.post("/api/v1/partner-events", content=body, headers=signed(body))
        # two more through Kafka, in one batch: each flagged with the others
        producer = AIOKafkaProducer(bootstrap_servers=partner_settings.kafka_bootstrap)
        await producer.start()
        try:
            for event_id in ("caf-dup-2", "caf-dup-3"):
                event = partner_event(source, event_id)
                await producer.send(partner_settings.partner_events_topic, event)
            await producer.flush()
        finally:
            await producer.stop()

        async def four() -> bool:
            return await families.count_documents({}) == 4

        await eventually(four, timeout=60, what="the Kafka door's families")
        staff_family = await _family(mongo, partner_settings.database, staff.json()["request_id"])
        partner_families = await families.find({"requests.channel": "partner"}).to_list()
        await dev_issuer.sign_in(intake, "coordination-reseau")  # partners' go to the network
        flagged = partner_families[-1]
        page = await intake.get(f"/familles/{flagged['_id']}")
        staff_page = await intake.get(f"/familles/{staff_family['_id']}")

    assert by_http.status_code == 201, by_http.text
    http_id = by_http.json()["request_id"]
    assert resent.status_code == 200, "a resend is the same request, not a duplicate"
    assert len(partner_families) == 3
    [http_family] = [f for f in partner_families if f["requests"][0]["request_id"] == http_id]
    assert http_family["possible_duplicates"] == [staff_family["_id"]]
    from_kafka = [f for f in partner_families if f is not http_family]
    earlier = {staff_family["_id"], http_family["_id"]}
    for family in from_kafka:  # what was known, and its batch's other family if together
        assert earlier <= set(family["possible_duplicates"]), family["_id"]
    assert any(f["_id"] in g["possible_duplicates"] for f in from_kafka for g in from_kafka)
    assert staff_family["possible_duplicates"] == []
    assert page.status_code == 200
    assert "Doublon possible : " in page.text
    assert "Transmise par un partenaire, sans vérification" in page.text
    assert flagged["family_ref"] in page.text, "the exact reference, not 'partner-'"
    assert (
        f'<code id="reference-famille" class="reference">{flagged["family_ref"]}</code>'
        in page.text
    )
    assert (
        f'<code id="reference-famille" class="reference">{staff_family["family_ref"]}</code>'
        in staff_page.text
    )
    assert "Référence partner-" not in json.dumps(page.text)
