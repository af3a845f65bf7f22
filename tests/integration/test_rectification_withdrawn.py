"""A family's rectification the data-protection officer refuses while it waits for the
correction: privacy tells intake (`RectificationWithdrawn` on its commands topic, through
the cases' outbox), intake takes the flag off the family's record and notes the case done,
so the record no longer asks staff to correct it, and the command delivered again later
flags nothing. The case stays closed « refusé ». Before, the record kept « Rectification
demandée » for a request already refused. Privacy and intake running, real broker and store."""

from entraide.contracts.events import (
    RectificationAcknowledged,
    RectificationRequested,
    RectificationWithdrawn,
)
from entraide.contracts.topics import PRIVACY_ACKS, PRIVACY_COMMANDS
from tests.integration.test_rectification_followed import (
    FLAG,
    a_flagged_family,
    delivered_again,
    of_case,
)
from tests.support import eventually


async def test_a_refused_rectification_leaves_the_familys_record(
    intake_settings, privacy_settings, dev_issuer, mongo
) -> None:
    async with a_flagged_family(intake_settings, privacy_settings, dev_issuer, mongo) as flag:
        privacy, intake, families, family = flag.privacy, flag.intake, flag.families, flag.family
        family_url, case_id = flag.family_url, flag.case_id
        assert FLAG in (await intake.get(family_url)).text

        refused = await privacy.post(
            f"/api/v1/cases/{case_id}/decision", json={"decision": "refused"}
        )
        assert refused.status_code < 300, refused.text

        async def unflagged() -> str | None:
            page = (await intake.get(family_url)).text
            return None if FLAG in page else page

        page = await eventually(unflagged, timeout=60, what="the flag off the record")
        stored = await families.find_one({"_id": family["_id"]})

        # the command delivered again afterwards (Kafka delivers at least once)
        bootstrap = intake_settings.kafka_bootstrap
        requested = RectificationRequested.EVENT_TYPE
        commands = await of_case(bootstrap, PRIVACY_COMMANDS.name, case_id, requested, 1)
        withdrawn = RectificationWithdrawn.EVENT_TYPE
        withdrawals = await of_case(bootstrap, PRIVACY_COMMANDS.name, case_id, withdrawn, 1)
        await delivered_again(bootstrap, commands[-1:])
        acked = RectificationAcknowledged.EVENT_TYPE  # intake answers the command again
        await of_case(bootstrap, PRIVACY_ACKS.name, case_id, acked, 2)
        page_after = (await intake.get(family_url)).text
        stored_after = await families.find_one({"_id": family["_id"]})
        after = (await privacy.get(f"/api/v1/cases/{case_id}")).json()

    assert "Rectification demandée" not in page
    assert (stored["rectifications"], stored["rectifications_done"]) == ([], [case_id])
    assert len(withdrawals) == 1
    assert b'"decision":"refused"' in withdrawals[0].value
    assert FLAG not in page_after, "not « Rectification demandée » again"
    assert stored_after["rectifications"] == []
    assert not stored_after.get("outbox"), "no completion sent for a refused case"
    assert (after["status"], after["decision"]) == ("closed", "refused")
    assert [e["action"] for e in after["audit"]][-1] == "case-resolved"
