"""End to end (the four services in-process on the real Kafka and store): a family recorded
through the staff form and another through a partner's signed event; erase the first.
Afterwards a scanner finds none of its identity in any collection of any service nor in
any topic, the other family is intact and readable, the case holds five acknowledgements
(the observatory's too), and privacy's audit trail has the case and no personal data.

Matching: its engine proposes on its own when it runs online; this test does not wait
for a proposal (the matching engineer's tests cover them), and its erasure acknowledgement
covers every document naming the family's reference, proposals included."""

import json
import random
import uuid

from bson import json_util

from entraide.contracts.topics import TOPICS
from tests.integration.test_partner_doors import partner_event, signed
from tests.integration.test_staff_pages import create
from tests.privacy_support import REGISTRY_TIMEOUT, case_when, closed, network
from tests.support import eventually, everything


def identity(unique: str) -> dict[str, str]:
    """Identity values no other test uses, so the scanner's findings are this family's."""
    tag = unique.translate(str.maketrans("0123456789", "ghijklmnop"))
    digits = "".join(random.choice("0123456789") for _ in range(8))
    return {
        "parent.first_name": "Amina",
        "parent.last_name": f"Diallo{tag}",
        "parent.phone": f"06 {digits[:2]} {digits[2:4]} {digits[4:6]} {digits[6:]}",
        "parent.email": f"amina.{tag}@example.org",
        "notes": f"Confidentiel {tag}",
    }


async def test_an_erased_family_is_nowhere_and_the_other_is_intact(
    infra, unique, partner_settings, privacy_settings, mongo, dev_issuer
) -> None:
    erased, kept = identity(unique), identity(uuid.uuid4().hex[:10])
    source = partner_settings.partners["caf-44"].source
    dbs = [s.database for s in (partner_settings, privacy_settings)]
    async with network(infra, unique, partner_settings, privacy_settings) as net:
        intake, privacy = net["clients"]["intake"], net["clients"]["privacy"]
        dbs += [
            a.state.settings.database
            for n, a in net["apps"].items()
            if n in ("matching", "directory")
        ]
        await dev_issuer.sign_in(intake, "ppm-nantes")
        assert (await create(intake, **erased)).status_code == 303
        body = partner_event(
            source,
            parent={
                "first_name": "Amina",
                "last_name": kept["parent.last_name"],
                "phone": kept["parent.phone"],
                "email": kept["parent.email"],
            },
            notes=kept["notes"],
        )
        sent = await intake.post("/api/v1/partner-events", content=body, headers=signed(body))
        assert sent.status_code == 201, sent.text
        families = mongo[partner_settings.database]["families"]
        await eventually(lambda: _count(families, 2), what="both families recorded")
        form_family = await families.find_one({"requests.channel": {"$ne": "partner"}})
        partner_family = await families.find_one({"requests.channel": "partner"})
        ref = form_family["family_ref"]
        subjects = mongo[privacy_settings.database]["subjects"]
        await eventually(
            lambda: subjects.find_one({"_id": ref}),
            timeout=REGISTRY_TIMEOUT,
            what="privacy knows the family",
        )

        privacy.headers["Authorization"] = f"Bearer {await dev_issuer.token_for('dpo')}"
        opened = await privacy.post("/api/v1/cases", json={"kind": "erasure", "subject_ref": ref})
        case = await case_when(privacy, opened.json()["case_id"], closed)
        kept_record = await intake.get(
            f"/api/v1/families/{partner_family['_id']}", headers=privacy.headers
        )

    assert set(case["acks"]) == {"directory", "intake", "matching", "privacy", "observatory"}
    secrets_erased = [
        erased[k] for k in ("parent.last_name", "parent.phone", "parent.email", "notes")
    ]
    found = []
    for name in dbs:
        db = mongo[name]
        for collection in await db.list_collection_names():
            dumped = json.dumps(await db[collection].find().to_list(), default=json_util.default)
            found += [(name, collection, v) for v in secrets_erased if v in dumped]
    for topic in (
        [t.name for t in TOPICS] + [t.dlq for t in TOPICS] + [partner_settings.partner_events_topic]
    ):
        for record in await everything(infra.kafka_bootstrap, topic):
            raw = (record.key or b"") + (record.value or b"")
            found += [(topic, record.offset, v) for v in secrets_erased if v.encode() in raw]
    assert found == []

    assert kept_record.status_code == 200
    assert kept_record.json()["identity"]["parent"]["last_name"] == kept["parent.last_name"]
    actions = [e["action"] for e in case["audit"]]
    assert (actions[0], actions[-1], actions.count("ack-received")) == (
        "case-opened",
        "case-closed",
        5,
    )
    audit = json.dumps(
        await mongo[privacy_settings.database]["audit"].find().to_list(), default=json_util.default
    )
    every_secret = secrets_erased + [
        kept[k] for k in ("parent.last_name", "parent.phone", "parent.email", "notes")
    ]
    assert [v for v in every_secret if v in audit] == []


async def _count(families, wanted: int) -> bool:
    return await families.count_documents({}) == wanted
