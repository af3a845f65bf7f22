"""A rectification asked through the data-protection officer is flagged on the family's
record for its staff (« Rectification demandée… rectifiez la fiche »); once they rectify
the record, the flag goes: it stayed after the rectification, asking again for work done
(found walking the staff pages)."""

from entraide.intake.app import create_app as intake_app
from tests.integration.test_staff_pages import FORM, create, post_form
from tests.support import serving

FLAG = 'id="rectification-demandee"'


async def test_rectifying_the_record_clears_the_officers_request(
    intake_settings, dev_issuer, mongo
) -> None:
    families = mongo[intake_settings.database]["families"]
    async with serving(intake_app(dev_issuer.settings_for(intake_settings))) as intake:
        await dev_issuer.sign_in(intake, "ppm-nantes")
        family_url = (await create(intake)).headers["location"].split("?")[0]
        family_id = family_url.rsplit("/", 1)[1]
        family = await families.find_one({"_id": family_id})
        # privacy's rectification command, as intake's rights handler flags it
        await families.update_one(
            {"_id": family_id}, {"$addToSet": {"rectifications": "case-0001"}}
        )
        assert FLAG in (await intake.get(family_url)).text

        edit = f"{family_url}/demandes/{family['requests'][0]['request_id']}/modifier"
        refused = await post_form(intake, edit, edit, FORM | {"postal_code": "4400"})
        assert refused.status_code == 422
        assert FLAG in (await intake.get(family_url)).text, "nothing rectified yet"

        fixed = await post_form(intake, edit, edit, FORM | {"parent.phone": "06 99 88 77 66"})
        assert fixed.status_code == 303, fixed.text
        page = (await intake.get(fixed.headers["location"])).text

    assert "La demande est rectifiée" in page
    assert FLAG not in page
    assert (await families.find_one({"_id": family_id}))["rectifications"] == []
