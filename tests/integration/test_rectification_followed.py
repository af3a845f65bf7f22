"""A family's rectification asked of the data-protection officer is followed until the
record is corrected: privacy routes it to intake, which flags the record; the case waits
(« en attente de la correction »), and closes « rectifiée » once staff rectify the record,
intake telling privacy through its outbox. It closed on the flag alone before. The command
delivered again once the case is closed (Kafka delivers at least once) flags the record no
more, and the case stays « rectifiée ». Privacy and intake running, real broker and store."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from aiokafka import AIOKafkaProducer

from entraide.contracts.events import (
    RectificationAcknowledged,
    RectificationCompleted,
    RectificationRequested,
)
from entraide.contracts.topics import PRIVACY_ACKS, PRIVACY_COMMANDS
from entraide.intake.app import create_app as intake_app
from entraide.kit.broker import consumer_group
from entraide.privacy.app import create_app as privacy_app
from tests.integration.test_staff_pages import FORM, create, post_form
from tests.privacy_support import case_when, caught_up, closed, vault_keys
from tests.support import eventually, scan, serving

FLAG = 'id="rectification-demandee"'
QUICK = {"graceful_timeout_seconds": 2.0}


def flagged(case: dict) -> bool:
    return "intake" in case["acks"]


async def of_case(bootstrap: str, topic: str, case_id: str, kind: str, at_least: int) -> list:
    """The records of this kind of event for the case on the topic (at least so many)."""
    found = await scan(
        bootstrap,
        topic,
        lambda r: case_id.encode() in r.value and kind.encode() in r.value,
        until=lambda f: len(f) >= at_least,
        timeout=60,
    )
    assert len(found) >= at_least, f"{len(found)} {kind} for {case_id}, wanted {at_least}"
    return found


async def delivered_again(bootstrap: str, records: list) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    try:
        for record in records:
            await producer.send_and_wait(
                record.topic, record.value, key=record.key, headers=list(record.headers)
            )
    finally:
        await producer.stop()


@dataclass
class Flagged:
    """Privacy and intake serving, a family recorded by staff, its rectification case
    opened by the officer and flagged by intake (`waiting`: the case as privacy says it)."""

    privacy: Any
    intake: Any
    families: Any
    family: dict
    family_url: str
    case_id: str
    waiting: dict


def privacy_and_intake(intake_settings: Any, privacy_settings: Any, dev_issuer: Any) -> tuple:
    """Privacy routing rectifications to intake, and intake on privacy's key vault (both
    quick to stop)."""
    routed = {"rights_services": ("intake", "privacy")} | QUICK
    officer = privacy_app(privacy_settings.model_copy(update=routed))
    settings = dev_issuer.settings_for(intake_settings).model_copy(update=QUICK)
    return officer, intake_app(settings, keys=vault_keys(officer, settings))


@asynccontextmanager
async def a_flagged_family(
    intake_settings: Any, privacy_settings: Any, dev_issuer: Any, mongo: Any
) -> AsyncIterator[Flagged]:
    officer, owner = privacy_and_intake(intake_settings, privacy_settings, dev_issuer)
    families = mongo[intake_settings.database]["families"]
    async with serving(officer) as privacy, serving(owner) as intake:
        await dev_issuer.sign_in(intake, "ppm-nantes")
        family_url = (await create(intake)).headers["location"].split("?")[0]
        family = await families.find_one({"_id": family_url.rsplit("/", 1)[1]})
        case_id, waiting = await rectification_flagged(privacy, dev_issuer, family["family_ref"])
        yield Flagged(privacy, intake, families, family, family_url, case_id, waiting)


async def rectification_flagged(privacy: Any, dev_issuer: Any, ref: str) -> tuple[str, dict]:
    """The officer opens a family's rectification case; once its owner answered, the case's
    id and the case as privacy says it."""
    privacy.headers["Authorization"] = f"Bearer {await dev_issuer.token_for('dpo')}"
    asked = {"kind": "rectification", "subject_ref": ref, "subject_kind": "family"}

    async def opened() -> dict | None:
        answer = await privacy.post("/api/v1/cases", json=asked)
        return answer.json() if answer.status_code == 201 else None

    case_id = (await eventually(opened, what="the rectification case"))["case_id"]
    return case_id, await case_when(privacy, case_id, flagged, timeout=90)


async def test_a_familys_rectification_closes_once_staff_rectify_the_record_and_stays_so(
    intake_settings, privacy_settings, dev_issuer, mongo
) -> None:
    async with a_flagged_family(intake_settings, privacy_settings, dev_issuer, mongo) as flag:
        privacy, intake, families, family = flag.privacy, flag.intake, flag.families, flag.family
        family_url, case_id, waiting = flag.family_url, flag.case_id, flag.waiting
        assert waiting["acks"]["intake"]["counts"] == {"families": 1}
        assert (waiting["status"], waiting["awaiting_correction"]) == ("open", True)
        record = (await intake.get(family_url)).text
        assert FLAG in record
        assert "le délégué est informé dès que la fiche rectifiée est enregistrée" in record

        edit = f"{family_url}/demandes/{family['requests'][0]['request_id']}/modifier"
        same = await post_form(intake, edit, edit, FORM)  # saved as it stands: nothing done
        unchanged = await families.find_one({"_id": family["_id"]})
        fixed = await post_form(intake, edit, edit, FORM | {"parent.phone": "06 99 88 77 66"})
        assert fixed.status_code == 303, fixed.text
        done = await case_when(privacy, case_id, closed, timeout=60)
        page = (await intake.get(family_url)).text

        # the command and the completion delivered again, once the case is closed
        bootstrap = intake_settings.kafka_bootstrap
        requested = RectificationRequested.EVENT_TYPE
        commands = await of_case(bootstrap, PRIVACY_COMMANDS.name, case_id, requested, 1)
        answered = RectificationCompleted.EVENT_TYPE
        completions = await of_case(bootstrap, PRIVACY_ACKS.name, case_id, answered, 1)
        await delivered_again(bootstrap, commands[-1:] + completions)
        acked = RectificationAcknowledged.EVENT_TYPE  # intake answers the command again
        await of_case(bootstrap, PRIVACY_ACKS.name, case_id, acked, 2)
        group = f"{consumer_group(privacy_settings, 'privacy')}-acks"
        await eventually(
            lambda: caught_up(bootstrap, group, [PRIVACY_ACKS.name]),
            timeout=60,
            what="privacy read the acknowledgements",
        )
        after = (await privacy.get(f"/api/v1/cases/{case_id}")).json()
        page_after = (await intake.get(family_url)).text
        stored = await families.find_one({"_id": family["_id"]})

    assert same.status_code == 200, same.headers
    assert "Rien n'a changé dans la fiche : la rectification demandée reste signalée." in same.text
    assert (unchanged["rectifications"], unchanged["rectifications_done"]) == ([case_id], [])
    assert done["decision"] == "rectified"
    assert done["rectified_at"] is not None
    assert done["awaiting_correction"] is False
    assert [e["action"] for e in done["audit"]][-2:] == ["case-rectified", "case-closed"]
    assert FLAG not in page
    assert FLAG not in page_after, "not « Rectification demandée » again"
    assert (stored["rectifications"], stored["rectifications_done"]) == ([], [case_id])
    assert stored["consent"] == family["consent"], "a new phone is no new consent"
    assert (after["status"], after["decision"]) == ("closed", "rectified")
    assert (after["rectified_at"], after["audit"]) == (done["rectified_at"], done["audit"])
