"""A request travels from intake's API, through the outbox and Kafka, to matching."""

import json
from datetime import UTC, datetime

from entraide.contracts import parse_event
from entraide.contracts.topics import REQUESTS
from entraide.intake.app import create_app as intake_app
from entraide.intake.domain.requests import age_band
from entraide.matching.app import create_app as matching_app
from tests.support import IDENTITY_VALUES, eventually, records, request_body, serving


async def test_request_reaches_matching_pseudonymised(
    intake_settings, matching_settings, mongo, staff_bearer, dev_issuer
) -> None:
    async with (
        serving(intake_app(intake_settings)) as intake,
        serving(matching_app(dev_issuer.settings_for(matching_settings))) as matching,
    ):
        intake.headers.update(staff_bearer)
        matching.headers.update(staff_bearer)
        created = await intake.post("/api/v1/requests", json=request_body())
        assert created.status_code == 201, created.text
        request_id = created.json()["request_id"]

        async def seen():
            response = await matching.get(f"/api/v1/requests/{request_id}")
            return response.json() if response.status_code == 200 else None

        view = await eventually(seen, what="matching's view of the request")

    assert view["status"] == "open"
    assert view["departement"] == "44"
    this_year = datetime.now(UTC).year
    assert view["children_age_bands"] == [age_band(2023, this_year), age_band(2019, this_year)]
    assert view["urgency"] == "high"
    assert not any(value in json.dumps(view) for value in IDENTITY_VALUES)

    family = await mongo[intake_settings.database]["families"].find_one(
        {"family_ref": view["family_ref"]}
    )
    assert family["outbox"] == []
    assert family["outbox_pending"] is False

    [record] = await records(
        intake_settings.kafka_bootstrap, REQUESTS.name, key=view["family_ref"].encode()
    )
    assert not any(value.encode() in record.value for value in IDENTITY_VALUES)
    event = parse_event(record.value)
    assert event.type == "fr.entraide.request.submitted.v1"
    assert event.subject == view["family_ref"]
    assert dict(record.headers)["content-type"].startswith(b"application/cloudevents+json")


async def test_bad_input_is_refused_naming_the_fields(intake_settings, mongo, staff_bearer) -> None:
    body = request_body()
    body["postal_code"] = "4400"
    body["consent"]["matching"] = False
    del body["needs"]
    async with serving(intake_app(intake_settings)) as intake:
        intake.headers.update(staff_bearer)
        response = await intake.post("/api/v1/requests", json=body)
    assert response.status_code == 422
    fields = {err["field"]: err["message"] for err in response.json()["detail"]}
    assert set(fields) == {"postal_code", "consent.matching", "needs"}
    assert fields["consent.matching"].startswith("Sans l'accord du parent")  # the form's
    assert not any(value in response.text for value in IDENTITY_VALUES)
    assert await mongo[intake_settings.database]["families"].count_documents({}) == 0


async def test_the_api_needs_a_token_and_keeps_staff_in_their_scope(
    intake_settings, dev_issuer, mongo
) -> None:
    async with serving(intake_app(intake_settings)) as intake:
        anonymous = await intake.post("/api/v1/requests", json=request_body())
        assert anonymous.status_code == 401
        assert anonymous.headers["www-authenticate"].startswith("Bearer")

        afev = {"Authorization": f"Bearer {await dev_issuer.token_for('afev-lille')}"}
        elsewhere = await intake.post("/api/v1/requests", json=request_body(), headers=afev)
        assert elsewhere.status_code == 403
        assert "association_id" in elsewhere.json()["detail"]

        ppm = {"Authorization": f"Bearer {await dev_issuer.token_for('ppm-nantes')}"}
        created = await intake.post("/api/v1/requests", json=request_body(), headers=ppm)
        assert created.status_code == 201
        family = await mongo[intake_settings.database]["families"].find_one(
            {"requests.request_id": created.json()["request_id"]}
        )
        url = f"/api/v1/families/{family['_id']}"
        record = (await intake.get(url, headers=ppm)).json()
        assert record["identity"]["parent"]["last_name"] == "Diallo"
        assert record["requests"][0]["notes"] == request_body()["notes"]
        assert (await intake.get(url, headers=afev)).status_code == 404
        audit = mongo[intake_settings.database]["audit_log"]
        assert await audit.count_documents({"family_id": family["_id"], "via": "api"}) == 1
