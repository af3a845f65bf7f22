"""A parent whose own request still waits at the family door asks for a rectification:
intake holds her data in the waiting request, so privacy's case is flagged there (« en
attente de la correction »), not closed « Aucune fiche à rectifier » as it was before. The
staff who confirm door requests see the warning on « À confirmer »; once confirmed, the
flag is on the family's record, and the case closes « rectifiée » when staff save the
record corrected. Privacy and intake running, real broker and store."""

import re

from entraide.contracts.events import RectificationAcknowledged, RectificationCompleted
from entraide.contracts.topics import PRIVACY_ACKS
from entraide.intake.app import create_app as intake_app
from entraide.intake.usecases.self_requests import FamilyDoor
from entraide.kit.deps import lookup
from entraide.privacy.app import create_app as privacy_app
from tests.integration.test_family_door import form
from tests.integration.test_rectification_followed import FLAG, QUICK, flagged, of_case
from tests.integration.test_staff_pages import FORM, post_form
from tests.privacy_support import case_when, closed, vault_keys
from tests.support import eventually, serving


async def test_a_rectification_of_a_request_waiting_at_the_door_closes_once_corrected(
    intake_settings, privacy_settings, dev_issuer, mongo
) -> None:
    routed = {"rights_services": ("intake", "privacy")} | QUICK
    officer = privacy_app(privacy_settings.model_copy(update=routed))
    settings = dev_issuer.settings_for(intake_settings).model_copy(update=QUICK)
    app = intake_app(settings, keys=vault_keys(officer, settings))
    db = mongo[intake_settings.database]
    async with serving(officer) as privacy, serving(app) as intake:
        sent = await intake.post("/demander-aide", data=form(lookup(app, FamilyDoor)))
        assert sent.status_code == 200, sent.text
        [queued] = await db["self_requests"].find({}).to_list()
        privacy.headers["Authorization"] = f"Bearer {await dev_issuer.token_for('dpo')}"
        asked = {"kind": "rectification", "subject_ref": queued["family_ref"]}

        async def opened() -> dict | None:
            answer = await privacy.post("/api/v1/cases", json=asked | {"subject_kind": "family"})
            return answer.json() if answer.status_code == 201 else None

        case_id = (await eventually(opened, what="the rectification case"))["case_id"]
        waiting = await case_when(privacy, case_id, flagged, timeout=90)

        await dev_issuer.sign_in(intake, "ppm-nantes")
        queue = (await intake.get("/a-confirmer")).text
        csrf = re.search(r'name="csrf" value="([^"]+)"', queue).group(1)  # type: ignore[union-attr]
        confirmed = await intake.post(
            f"/a-confirmer/{queued['_id']}", data={"csrf": csrf, "action": "confirmer"}
        )
        assert confirmed.status_code == 303, confirmed.text
        family = await db["families"].find_one({"family_ref": queued["family_ref"]})
        family_url = f"/familles/{family['_id']}"
        record = (await intake.get(family_url)).text
        still = (await privacy.get(f"/api/v1/cases/{case_id}")).json()

        edit = f"{family_url}/demandes/{family['requests'][0]['request_id']}/modifier"
        corrected = {"parent.first_name": "Awa", "parent.last_name": "Traoré"}
        fixed = await post_form(intake, edit, edit, FORM | corrected)
        assert fixed.status_code == 303, fixed.text
        done = await case_when(privacy, case_id, closed, timeout=60)
        bootstrap = intake_settings.kafka_bootstrap
        answers = await of_case(
            bootstrap, PRIVACY_ACKS.name, case_id, RectificationAcknowledged.EVENT_TYPE, 1
        )
        answers += await of_case(
            bootstrap, PRIVACY_ACKS.name, case_id, RectificationCompleted.EVENT_TYPE, 1
        )

    assert waiting["acks"]["intake"]["counts"] == {"own_requests": 1}, "not « aucune fiche »"
    assert (waiting["status"], waiting["awaiting_correction"]) == ("open", True)
    assert f'id="rectification-demandee-{queued["_id"]}"' in queue
    assert "Rectification demandée par la famille" in queue
    assert family["rectifications"] == [case_id]  # carried onto the record confirmed
    assert FLAG in record
    assert (still["status"], still["awaiting_correction"]) == ("open", True), "not yet"
    assert (done["decision"], done["awaiting_correction"]) == ("rectified", False)
    for record_on_topic in answers:  # references and counts only
        assert b"Traor" not in record_on_topic.value
        assert b"06 98" not in record_on_topic.value
