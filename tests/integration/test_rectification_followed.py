"""A family's rectification asked of the data-protection officer is followed until the
record is corrected: privacy routes it to intake, which flags the record; the case waits
(« en attente de la correction »), and closes « rectifiée » once staff rectify the record,
intake telling privacy through its outbox. It closed on the flag alone before. Privacy and
intake running, real broker and store."""

from entraide.intake.app import create_app as intake_app
from entraide.privacy.app import create_app as privacy_app
from tests.integration.test_staff_pages import FORM, create, post_form
from tests.privacy_support import case_when, closed, vault_keys
from tests.support import eventually, serving

FLAG = 'id="rectification-demandee"'
QUICK = {"graceful_timeout_seconds": 2.0}


def flagged(case: dict) -> bool:
    return "intake" in case["acks"]


async def test_a_familys_rectification_closes_once_staff_rectify_the_record(
    intake_settings, privacy_settings, dev_issuer, mongo
) -> None:
    routed = {"rights_services": ("intake", "privacy")} | QUICK
    officer = privacy_app(privacy_settings.model_copy(update=routed))
    settings = dev_issuer.settings_for(intake_settings).model_copy(update=QUICK)
    families = mongo[intake_settings.database]["families"]
    async with (
        serving(officer) as privacy,
        serving(intake_app(settings, keys=vault_keys(officer, settings))) as intake,
    ):
        await dev_issuer.sign_in(intake, "ppm-nantes")
        family_url = (await create(intake)).headers["location"].split("?")[0]
        family = await families.find_one({"_id": family_url.rsplit("/", 1)[1]})
        privacy.headers["Authorization"] = f"Bearer {await dev_issuer.token_for('dpo')}"
        asked = {"kind": "rectification", "subject_ref": family["family_ref"]}

        async def opened() -> dict | None:
            answer = await privacy.post("/api/v1/cases", json=asked | {"subject_kind": "family"})
            return answer.json() if answer.status_code == 201 else None

        case_id = (await eventually(opened, what="the rectification case"))["case_id"]
        waiting = await case_when(privacy, case_id, flagged, timeout=90)
        assert waiting["acks"]["intake"]["counts"] == {"families": 1}
        assert (waiting["status"], waiting["awaiting_correction"]) == ("open", True)
        record = (await intake.get(family_url)).text
        assert FLAG in record
        assert "le délégué est informé dès que la fiche rectifiée est enregistrée" in record

        edit = f"{family_url}/demandes/{family['requests'][0]['request_id']}/modifier"
        fixed = await post_form(intake, edit, edit, FORM | {"parent.phone": "06 99 88 77 66"})
        assert fixed.status_code == 303, fixed.text
        done = await case_when(privacy, case_id, closed, timeout=60)
        page = (await intake.get(family_url)).text

    assert done["decision"] == "rectified"
    assert done["rectified_at"] is not None
    assert done["awaiting_correction"] is False
    assert [e["action"] for e in done["audit"]][-2:] == ["case-rectified", "case-closed"]
    assert FLAG not in page
    assert (await families.find_one({"_id": family["_id"]}))["rectifications"] == []
