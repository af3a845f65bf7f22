"""No family name, phone, e-mail, commune or note ever travels on an internal topic."""

import uuid

from entraide.contracts.topics import OFFERS, PARTNER_RAW, all_topic_names
from entraide.intake.app import create_app as intake_app
from tests.integration.test_partner_doors import partner_event, signed
from tests.support import IDENTITY_VALUES, eventually, everything, request_body, serving

# raw partner events arrive with identity data by design: they are inbound, not internal
INBOUND = {PARTNER_RAW.name, PARTNER_RAW.dlq}
# offers are the associations' public actions: they name communes (not the family's)
PUBLIC_PLACES = {OFFERS.name}
COMMUNE = "Nantes"


async def test_internal_topics_carry_no_identity(partner_settings, mongo, staff_bearer) -> None:
    marker = f"Zoé-{uuid.uuid4().hex[:8]}"  # a name no other test uses
    staff = request_body()
    staff["parent"]["first_name"] = marker
    families = mongo[partner_settings.database]["families"]
    source = partner_settings.partners["caf-44"].source
    partner = partner_event(source)
    partner = partner.replace(b'"Amina"', f'"{marker}"'.encode())
    async with serving(intake_app(partner_settings)) as intake:
        intake.headers.update(staff_bearer)
        assert (await intake.post("/api/v1/requests", json=staff)).status_code == 201
        response = await intake.post(
            "/api/v1/partner-events", content=partner, headers=signed(partner)
        )
        assert response.status_code == 201
        await eventually(lambda: _published(families, 2), what="both requests published")

    leaks = {}
    scanned = 0
    for topic in sorted(all_topic_names() - INBOUND):
        for record in await everything(partner_settings.kafka_bootstrap, topic):
            scanned += 1
            values = [
                v
                for v in (*IDENTITY_VALUES, marker)
                if not (v == COMMUNE and topic in PUBLIC_PLACES)
            ]
            found = [
                v
                for v in values
                if v.encode() in (record.value or b"") or v.encode() in (record.key or b"")
            ]
            if found:
                leaks[f"{topic}@{record.partition}:{record.offset}"] = found
    assert scanned >= 2
    assert leaks == {}


async def _published(families, wanted: int) -> bool:
    return await families.count_documents({"outbox_pending": False}) == wanted
