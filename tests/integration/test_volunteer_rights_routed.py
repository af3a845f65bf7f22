"""A volunteer's objection and rectification, asked of the data-protection officer: privacy
routes them to directory (it owns volunteers), directory answers, the objection's case
closes by itself; the rectification's waits until their association corrects the card
(« Corriger ses coordonnées »), then closes « rectifiée », and the command delivered again flags the card no more. The objection pauses the approved volunteer (matching hears they are not
available: their families go to someone else) and both are said on the volunteer's card
for their association's staff. Directory and privacy running, real broker and store."""

import html
import json

from entraide.contracts.events import RectificationAcknowledged, RectificationRequested
from entraide.contracts.topics import PRIVACY_ACKS, PRIVACY_COMMANDS
from entraide.directory.adapters.volunteers.store import VolunteerStore
from entraide.directory.app import create_app as directory_app
from entraide.kit.deps import lookup
from entraide.privacy.adapters.vault import KeyVault
from entraide.privacy.app import create_app as privacy_app
from tests.integration.test_directory_offers import directory_settings  # noqa: F401
from tests.integration.test_rectification_followed import delivered_again, of_case
from tests.integration.test_volunteer_correction_form import CORRECTED, post
from tests.integration.test_volunteer_to_family import APPLICATION, review
from tests.privacy_support import case_when, closed
from tests.support import eventually, records, serving


async def test_a_volunteers_objection_and_rectification_reach_directory_and_close(
    directory_settings,  # noqa: F811
    privacy_settings,
    dev_issuer,
) -> None:
    routed = {"rights_services": ("directory", "privacy"), "graceful_timeout_seconds": 2.0}
    async with (
        serving(officer := privacy_app(privacy_settings.model_copy(update=routed))) as privacy,
        serving(app := directory_app(directory_settings)) as directory,
    ):
        assert (await directory.post("/devenir-benevole", data=APPLICATION)).status_code == 200
        [stored] = await lookup(app, VolunteerStore).all()
        ref = stored["volunteer_ref"]
        # deployed, directory keeps the volunteer's key in privacy's vault (here its keys
        # are local): privacy opens no case for a reference it does not know
        await lookup(officer, KeyVault).get_or_create(
            "directory", str(stored["_id"]), subject_ref=ref, subject_kind="volunteer"
        )
        await dev_issuer.sign_in(directory, "ppm-nantes")
        await review(directory, stored["_id"], statut="in-review", honorabilite="cleared")
        await review(directory, stored["_id"], statut="approved")
        privacy.headers["Authorization"] = f"Bearer {await dev_issuer.token_for('dpo')}"

        async def opened(kind: str) -> dict | None:
            asked = {"kind": kind, "subject_ref": ref, "subject_kind": "volunteer"}
            answer = await privacy.post("/api/v1/cases", json=asked)
            return answer.json() if answer.status_code == 201 else None

        objection = await eventually(lambda: opened("objection"), what="the objection case")
        assert objection["services"] == ["directory"]
        case = await case_when(privacy, objection["case_id"], closed, timeout=90)
        assert case["decision"] == "done"
        assert case["acks"]["directory"]["counts"] == {"volunteers": 1, "paused": 1}
        assert (await lookup(app, VolunteerStore).by_ref(ref))["status"] == "paused"
        seen = await records(
            directory_settings.kafka_bootstrap,
            directory_settings.volunteers_topic,
            key=ref.encode(),
            at_least=2,
        )
        assert json.loads(seen[-1].value)["data"]["active"] is False  # matching stops

        rectification = await opened("rectification")
        assert rectification is not None
        case_id = rectification["case_id"]
        case = await case_when(privacy, case_id, lambda c: "directory" in c["acks"], timeout=90)
        assert case["acks"]["directory"]["counts"] == {"volunteers": 1}
        assert (case["status"], case["awaiting_correction"]) == ("open", True)

        card = html.unescape((await directory.get("/association")).text)
        assert "Opposition reçue par le délégué à la protection des données" in card
        assert "(mis en pause)" in card
        assert "Rectification demandée auprès du délégué" in card

        # their association corrects the card with them: the case closes, the flag goes
        url = f"/association/benevoles/{stored['_id']}/coordonnees"
        fixed = await post(directory, url, **CORRECTED)
        assert fixed.headers["location"].startswith("/association?resultat="), fixed.text
        done = await case_when(privacy, case_id, closed, timeout=60)
        assert (done["decision"], done["awaiting_correction"]) == ("rectified", False)
        assert [e["action"] for e in done["audit"]][-2:] == ["case-rectified", "case-closed"]
        card = html.unescape((await directory.get(fixed.headers["location"])).text)
        assert "Rectification demandée auprès du délégué" not in card
        assert "le délégué à la protection des données est informé" in card
        assert (await lookup(app, VolunteerStore).by_ref(ref))["rectifications"] == []

        # the command delivered again once the case is closed: answered, not flagged again
        bootstrap = directory_settings.kafka_bootstrap
        requested = RectificationRequested.EVENT_TYPE
        commands = await of_case(bootstrap, PRIVACY_COMMANDS.name, case_id, requested, 1)
        await delivered_again(bootstrap, commands[-1:])
        acked = RectificationAcknowledged.EVENT_TYPE
        await of_case(bootstrap, PRIVACY_ACKS.name, case_id, acked, 2)
        card = html.unescape((await directory.get("/association")).text)
        assert "Rectification demandée auprès du délégué" not in card
        after = await lookup(app, VolunteerStore).by_ref(ref)
        assert (after["rectifications"], after["rectifications_done"]) == ([], [case_id])

        # another rectification, closed « Sans objet » by the officer while it waits: it is
        # withdrawn from directory, the card's flag goes without a correction
        moot = await opened("rectification")
        assert moot is not None
        await case_when(privacy, moot["case_id"], lambda c: "directory" in c["acks"], timeout=90)
        card = html.unescape((await directory.get("/association")).text)
        assert "Rectification demandée auprès du délégué" in card
        decided = {"decision": "not-applicable"}
        answer = await privacy.post(f"/api/v1/cases/{moot['case_id']}/decision", json=decided)
        assert answer.status_code < 300, answer.text

        async def unflagged() -> dict | None:
            volunteer = await lookup(app, VolunteerStore).by_ref(ref)
            return None if volunteer is None or volunteer["rectifications"] else volunteer

        withdrawn = await eventually(unflagged, timeout=60, what="the flag off the card")
        card = html.unescape((await directory.get("/association")).text)
        moot_after = (await privacy.get(f"/api/v1/cases/{moot['case_id']}")).json()
    assert "Rectification demandée auprès du délégué" not in card
    assert withdrawn["rectifications_done"] == [case_id, moot["case_id"]]
    assert (moot_after["status"], moot_after["decision"]) == ("closed", "not-applicable")
