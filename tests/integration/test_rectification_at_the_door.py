"""A parent whose own request still waits at the family door asks for a rectification:
intake holds her data in the waiting request, so privacy's case is flagged there (« en
attente de la correction »), not closed « Aucune fiche à rectifier » as it was before. The
staff who confirm door requests see the warning on « À confirmer »; once confirmed, the
flag is on the family's record, and the case closes « rectifiée » when staff save the
record corrected. Refused instead, the request's data is erased, and the case closes
saying so, through the queue's own outbox. Privacy and intake running, real broker and
store."""

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from entraide.contracts.events import RectificationAcknowledged, RectificationCompleted
from entraide.contracts.topics import PRIVACY_ACKS
from entraide.intake.usecases.self_requests import FamilyDoor
from entraide.kit.deps import lookup
from tests.integration.test_family_door import form
from tests.integration.test_rectification_followed import (
    FLAG,
    of_case,
    privacy_and_intake,
    rectification_flagged,
)
from tests.integration.test_staff_pages import FORM, post_form
from tests.privacy_support import case_when, closed
from tests.support import serving


@dataclass
class Waiting:
    """Privacy and intake serving, a parent's request waiting at the door, its
    rectification case flagged (`waiting`: as privacy says it), staff signed in on the
    queue (`queue`: its page)."""

    privacy: Any
    intake: Any
    db: Any
    queued: dict
    case_id: str
    waiting: dict
    queue: str

    async def decide(self, action: str, **more: str) -> Any:
        csrf = re.search(r'name="csrf" value="([^"]+)"', self.queue).group(1)  # type: ignore[union-attr]
        data = {"csrf": csrf, "action": action} | more
        return await self.intake.post(f"/a-confirmer/{self.queued['_id']}", data=data)

    async def answers(self, bootstrap: str) -> list:
        """The acknowledgement and the completion of the case on the topic."""
        found = await of_case(
            bootstrap, PRIVACY_ACKS.name, self.case_id, RectificationAcknowledged.EVENT_TYPE, 1
        )
        return found + await of_case(
            bootstrap, PRIVACY_ACKS.name, self.case_id, RectificationCompleted.EVENT_TYPE, 1
        )


@asynccontextmanager
async def a_flagged_door_request(
    intake_settings: Any, privacy_settings: Any, dev_issuer: Any, mongo: Any
) -> AsyncIterator[Waiting]:
    officer, app = privacy_and_intake(intake_settings, privacy_settings, dev_issuer)
    db = mongo[intake_settings.database]
    async with serving(officer) as privacy, serving(app) as intake:
        sent = await intake.post("/demander-aide", data=form(lookup(app, FamilyDoor)))
        assert sent.status_code == 200, sent.text
        [queued] = await db["self_requests"].find({}).to_list()
        case_id, waiting = await rectification_flagged(privacy, dev_issuer, queued["family_ref"])
        await dev_issuer.sign_in(intake, "ppm-nantes")
        queue = (await intake.get("/a-confirmer")).text
        yield Waiting(privacy, intake, db, queued, case_id, waiting, queue)


async def test_a_rectification_of_a_request_waiting_at_the_door_closes_once_corrected(
    intake_settings, privacy_settings, dev_issuer, mongo
) -> None:
    async with a_flagged_door_request(intake_settings, privacy_settings, dev_issuer, mongo) as door:
        privacy, intake, queued, case_id = door.privacy, door.intake, door.queued, door.case_id
        confirmed = await door.decide("confirmer")
        assert confirmed.status_code == 303, confirmed.text
        family = await door.db["families"].find_one({"family_ref": queued["family_ref"]})
        family_url = f"/familles/{family['_id']}"
        record = (await intake.get(family_url)).text
        still = (await privacy.get(f"/api/v1/cases/{case_id}")).json()

        edit = f"{family_url}/demandes/{family['requests'][0]['request_id']}/modifier"
        corrected = {"parent.first_name": "Awa", "parent.last_name": "Traoré"}
        fixed = await post_form(intake, edit, edit, FORM | corrected)
        assert fixed.status_code == 303, fixed.text
        done = await case_when(privacy, case_id, closed, timeout=60)
        answers = await door.answers(intake_settings.kafka_bootstrap)

    assert door.waiting["acks"]["intake"]["counts"] == {"own_requests": 1}, "not « aucune »"
    assert (door.waiting["status"], door.waiting["awaiting_correction"]) == ("open", True)
    assert f'id="rectification-demandee-{queued["_id"]}"' in door.queue
    assert "Rectification demandée par la famille" in door.queue
    assert family["rectifications"] == [case_id]  # carried onto the record confirmed
    assert FLAG in record
    assert (still["status"], still["awaiting_correction"]) == ("open", True), "not yet"
    assert (done["decision"], done["awaiting_correction"]) == ("rectified", False)
    for answer in answers:  # references and counts only
        assert b"Traor" not in answer.value
        assert b"06 98" not in answer.value


async def test_a_door_request_refused_while_flagged_closes_its_case_erased(
    intake_settings, privacy_settings, dev_issuer, mongo
) -> None:
    async with a_flagged_door_request(intake_settings, privacy_settings, dev_issuer, mongo) as door:
        refused = await door.decide("refuser", reason="unreachable")
        assert refused.status_code == 303, refused.text
        done = await case_when(door.privacy, door.case_id, closed, timeout=60)
        page = (await door.privacy.get(f"/dossiers/{door.case_id}")).text
        answers = await door.answers(intake_settings.kafka_bootstrap)
        stored = await door.db["self_requests"].find_one({"_id": door.queued["_id"]})

    assert "Si vous refusez la demande, ses coordonnées sont effacées" in door.queue
    assert (done["decision"], done["awaiting_correction"]) == ("erased", False)
    assert "Close sans rectification" in page
    assert "Rectifiée" not in page
    assert (stored["stage"], stored["sealed"], stored["outbox"]) == ("refused", {}, [])
    for answer in answers:
        assert b"Traor" not in answer.value
