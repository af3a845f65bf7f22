"""A would-be volunteer declined by her association is a subject of privacy's registry,
across directory and privacy on the real broker and store: directory announces the
application's changes on their own topic (pseudonymous reference, codes and dates),
privacy registers her with the decline's date as her last contact, so its retention
sweep erases her 3 years later. Matching never hears of her: before, nothing did, and
her name, address, e-mail and phone stayed in directory for good."""

from datetime import datetime

from entraide.directory.adapters.volunteers.store import VolunteerStore
from entraide.directory.app import create_app as create_directory
from entraide.kit.deps import lookup
from entraide.privacy.app import create_app as create_privacy
from tests.integration.test_directory_offers import directory_settings  # noqa: F401
from tests.integration.test_volunteer_to_family import APPLICATION, review
from tests.privacy_support import REGISTRY_TIMEOUT
from tests.support import eventually, serving


async def test_a_declined_applicant_is_registered_with_the_declines_date(
    infra,
    directory_settings,  # noqa: F811
    privacy_settings,
    mongo,
    dev_issuer,
) -> None:
    privacy_db, directory_db = mongo[privacy_settings.database], mongo[directory_settings.database]
    quick = {"graceful_timeout_seconds": 2.0}
    async with (
        serving(create_privacy(privacy_settings.model_copy(update=quick))),
        serving(app := create_directory(directory_settings)) as directory,
    ):
        assert (await directory.post("/devenir-benevole", data=APPLICATION)).status_code == 200
        [stored] = await lookup(app, VolunteerStore).all()
        ref = stored["volunteer_ref"]
        await dev_issuer.sign_in(directory, "ppm-nantes")
        await review(directory, stored["_id"], statut="declined")
        declined = await directory_db["volunteers"].find_one({"volunteer_ref": ref})
        assert declined["status"] == "declined"
        declined_at: datetime = declined["updated_at"]

        async def registered_at_decline() -> dict | None:
            doc = await privacy_db["subjects"].find_one({"_id": ref})
            return doc if doc and doc["last_contact_at"] == declined_at else None

        subject = await eventually(
            registered_at_decline, timeout=REGISTRY_TIMEOUT, what="the applicant registered"
        )

    assert subject["kind"] == "volunteer"
    assert subject["first_seen_at"] < subject["last_contact_at"]  # her application's date
    assert subject["departement"] == "44"
    held = str(subject)
    for identity in ("prenom", "nom", "courriel"):  # her identity never reaches privacy
        assert APPLICATION[identity] not in held
