"""A family already known asks for something else (real store and broker): staff add a
request to her record, by the API or from the record's page; it goes out for orientation
under the same pseudonymous reference, and no second family is recorded."""

import json
import re

from entraide.contracts.events import RequestSubmitted
from entraide.contracts.topics import REQUESTS
from entraide.intake.app import create_app as intake_app
from tests.page_text import text_of
from tests.support import records, request_body, serving

CONSENT = {
    "matching": True,
    "sharing": False,
    "collected_by": "Claire (PPM)",
    "collected_at": "2026-12-02T10:00:00Z",
}


async def test_staff_add_a_request_to_a_known_family_by_api_and_page(
    intake_settings, dev_issuer, mongo
) -> None:
    settings = dev_issuer.settings_for(intake_settings)
    families = mongo[settings.database]["families"]
    async with serving(intake_app(settings)) as intake:
        await dev_issuer.sign_in(intake, "ppm-nantes")
        created = await intake.post("/api/v1/requests", json=request_body() | {"confirm_new": True})
        assert created.status_code == 201, created.text
        family = await families.find_one({"requests.request_id": created.json()["request_id"]})
        family_id = family["_id"]
        path = f"/api/v1/families/{family_id}/requests"

        by_api = await intake.post(
            path, json={"needs": ["repit-garde-ponctuelle"], "consent": CONSENT}
        )
        no_consent = await intake.post(
            path,
            json={"needs": ["repit-garde-ponctuelle"], "consent": CONSENT | {"matching": False}},
        )
        unknown = await intake.post(
            "/api/v1/families/nope/requests",
            json={"needs": ["repit-garde-ponctuelle"], "consent": CONSENT},
        )

        form = await intake.get(f"/familles/{family_id}/demandes/nouvelle")
        # her half-days as she gave them with her first request (the API's, sent without
        # any, kept them), ticked for staff to check with her; no other half-day
        ticked = re.findall(r'id="availability-([a-z]+-[a-z]+)"[^>]*checked', form.text)
        assert ticked == ["we-afternoon"]
        csrf = re.search(r'name="csrf" value="([^"]+)"', form.text).group(1)  # type: ignore[union-attr]
        missing = await intake.post(
            f"/familles/{family_id}/demandes/nouvelle",
            data={"csrf": csrf, "consent.matching": "oui"},
        )
        by_page = await intake.post(
            f"/familles/{family_id}/demandes/nouvelle",
            data={
                "csrf": csrf,
                "needs": "accompagnement-scolaire",
                "signs": "isolement-social",
                "notes": "Nouveau travail en janvier",
                "consent.matching": "oui",
            },
        )
        record = await intake.get(by_page.headers["location"])

    assert by_api.status_code == 201, by_api.text
    assert no_consent.status_code == 422
    assert unknown.status_code == 404
    assert form.status_code == 200
    assert "Nouvelle demande de la famille" in text_of(form.text)
    assert missing.status_code == 422
    assert "Choisissez au moins un besoin." in text_of(missing.text)
    assert by_page.status_code == 303, by_page.text
    assert "La demande est enregistrée : elle part en orientation." in text_of(record.text)
    assert "Nouveau travail en janvier" in text_of(record.text)
    assert await families.count_documents({}) == 1
    stored = await families.find_one({"_id": family_id})
    ids = [r["request_id"] for r in stored["requests"]]
    assert len(ids) == 3
    assert ids[1] == by_api.json()["request_id"]
    published = await records(
        settings.kafka_bootstrap, REQUESTS.name, key=stored["family_ref"].encode(), at_least=3
    )
    submitted = [json.loads(r.value) for r in published]
    submitted = [e for e in submitted if e["type"] == RequestSubmitted.EVENT_TYPE]
    assert [e["data"]["request_id"] for e in submitted] == ids
    assert {e["data"]["family_ref"] for e in submitted} == {stored["family_ref"]}
    assert submitted[2]["data"]["needs"] == ["accompagnement-scolaire"]
    # the API's request, sent without half-days, has the ones she gave first; the page's,
    # sent with none ticked, has none
    first_half_days = submitted[0]["data"]["availability"]
    assert first_half_days
    assert submitted[1]["data"]["availability"] == first_half_days
    assert submitted[2]["data"]["availability"] == []
