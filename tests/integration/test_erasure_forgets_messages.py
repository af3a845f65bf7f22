"""A family's erasure deletes the notifier's records of her on the real store, intake
running with a real SMTP server: a parent known only by her request waiting at the door
(her « demande reçue » recorded), and a family staff confirmed whose erasure stops as the
notifier's store fails after her record is deleted: the command coming again finds no
family and deletes them then. Before, an erasure finding no family returned at once and
those records stayed (a message held for the night, its address sealed, still went)."""

import re
from datetime import UTC, datetime, timedelta

import pytest

from entraide.contracts.events import ErasureRequested
from entraide.contracts.vocab import ErasureReason, SubjectKind
from entraide.intake.app import create_app as intake_app
from entraide.intake.usecases.rights import IntakeRights
from entraide.intake.usecases.self_requests import FamilyDoor
from entraide.kit.deps import lookup
from tests.integration.test_family_door import form, mailing
from tests.smtp_server import running_smtp_server
from tests.support import serving


@pytest.fixture
def mailbox():
    with running_smtp_server() as box:
        yield box


def _erasure(ref: str) -> ErasureRequested:
    return ErasureRequested(
        case_id="case-erasure-forgets",
        subject_ref=ref,
        subject_kind=SubjectKind.FAMILY,
        deadline=datetime.now(UTC) + timedelta(days=30),
        reason=ErasureReason.RIGHTS_REQUEST,
    )


async def _asked(app, intake, db, mailbox) -> str:
    """A parent asks at the door and is told it is received; her reference."""
    sent = await intake.post("/demander-aide", data=form(lookup(app, FamilyDoor)))
    assert sent.status_code == 200, sent.text
    assert mailbox.to("awa.traore@example.org"), "« demande reçue » sent"
    [queued] = await db["self_requests"].find({}).to_list()
    ref = queued["family_ref"]
    assert await db["notifications"].count_documents({"recipient_ref": ref}) >= 1
    return str(ref)


async def test_a_parent_waiting_at_the_door_erased_keeps_no_message_record(
    intake_settings, mongo, mailbox
) -> None:
    app = intake_app(mailing(intake_settings, mailbox))
    db = mongo[intake_settings.database]
    async with serving(app) as intake:
        ref = await _asked(app, intake, db, mailbox)
        erased = await lookup(app, IntakeRights).erase(_erasure(ref))
        assert erased["own_requests"] == 1
        assert erased["notifications"] >= 1
        assert await db["notifications"].count_documents({"recipient_ref": ref}) == 0


async def test_an_erasure_stopped_after_the_family_went_deletes_her_messages_when_redelivered(
    intake_settings, mongo, mailbox, dev_issuer
) -> None:
    app = intake_app(mailing(intake_settings, mailbox))
    db = mongo[intake_settings.database]
    async with serving(app) as intake:
        ref = await _asked(app, intake, db, mailbox)
        await dev_issuer.sign_in(intake, "ppm-nantes")
        queue = (await intake.get("/a-confirmer")).text
        self_id = re.search(r'action="/a-confirmer/([0-9a-f]+)"', queue).group(1)  # type: ignore[union-attr]
        csrf = re.search(r'name="csrf" value="([^"]+)"', queue).group(1)  # type: ignore[union-attr]
        done = await intake.post(
            f"/a-confirmer/{self_id}", data={"csrf": csrf, "action": "confirmer"}
        )
        assert done.status_code == 303, done.text
        assert await db["families"].count_documents({"family_ref": ref}) == 1

        rights = lookup(app, IntakeRights)
        forget = rights.forget
        assert forget is not None

        async def store_away(recipient_ref: str) -> int:
            raise ConnectionError("the notifications store went away")

        rights.forget = store_away
        with pytest.raises(ConnectionError):
            await rights.erase(_erasure(ref))
        assert await db["families"].count_documents({"family_ref": ref}) == 0
        assert await db["notifications"].count_documents({"recipient_ref": ref}) >= 1

        rights.forget = forget  # the command comes again, the store back
        again = await rights.erase(_erasure(ref))
        assert again["notifications"] >= 1
        assert await db["notifications"].count_documents({"recipient_ref": ref}) == 0
