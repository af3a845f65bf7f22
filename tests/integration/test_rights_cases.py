"""Rights cases across the four services, in-process on the real broker and store:
erasure reaches every service and ends with the key destroyed; access gathers every
service's part; silent services get the command again, then the case is escalated."""

import json

from bson import json_util

from entraide.contracts.vocab import SubjectKind
from entraide.kit.deps import lookup
from entraide.privacy.domain.cases import CaseKind
from entraide.privacy.usecases.cases import Rights
from tests.page_text import rows_of, text_of
from tests.privacy_support import REGISTRY_TIMEOUT, Clock, case_when, closed, network
from tests.support import IDENTITY_VALUES, eventually, request_body

EVERY_SERVICE = {"directory", "intake", "matching", "privacy", "observatory"}


async def _family(net, mongo, intake_settings, privacy_settings, staff_bearer):
    """Record a family through intake's API; wait until matching and privacy know it."""
    intake = net["clients"]["intake"]
    body = request_body() | {"confirm_new": True}  # a test may record the same parent twice
    created = await intake.post("/api/v1/requests", json=body, headers=staff_bearer)
    assert created.status_code == 201
    family = await mongo[intake_settings.database]["families"].find_one(
        {"requests.request_id": created.json()["request_id"]}
    )
    ref = family["family_ref"]
    subjects = mongo[privacy_settings.database]["subjects"]
    await eventually(
        lambda: subjects.find_one({"_id": ref}), timeout=REGISTRY_TIMEOUT, what="privacy registry"
    )
    matching = net["clients"]["matching"]
    request_id = created.json()["request_id"]

    async def seen() -> bool:
        answer = await matching.get(f"/api/v1/requests/{request_id}", headers=staff_bearer)
        return answer.status_code == 200

    await eventually(seen, what="matching read model")
    return family


async def test_erasure_reaches_every_service_then_the_key_is_destroyed(
    infra, unique, intake_settings, privacy_settings, staff_bearer, mongo, dev_issuer
) -> None:
    dpo = {"Authorization": f"Bearer {await dev_issuer.token_for('dpo')}"}
    async with network(infra, unique, intake_settings, privacy_settings) as net:
        family = await _family(net, mongo, intake_settings, privacy_settings, staff_bearer)
        other = await _family(net, mongo, intake_settings, privacy_settings, staff_bearer)
        privacy = net["clients"]["privacy"]
        privacy.headers.update(dpo)
        body = {"kind": "erasure", "subject_ref": family["family_ref"], "subject_kind": "family"}
        opened = await privacy.post("/api/v1/cases", json=body)
        assert opened.status_code == 201
        case = await case_when(privacy, opened.json()["case_id"], closed)
        again = await privacy.post("/api/v1/cases", json=body)  # nothing left to erase

    assert again.status_code == 409
    assert again.json()["code"] == "already-erased"
    assert set(case["acks"]) == EVERY_SERVICE
    assert case["acks"]["intake"]["counts"] == {
        "families": 1,
        "requests": 1,
        "contacts": 0,
        "keys": 1,
    }
    assert case["acks"]["matching"]["counts"].get("requests") == 1
    assert case["acks"]["privacy"]["counts"]["subjects"] == 1
    ref = family["family_ref"]
    intake_db, privacy_db = mongo[intake_settings.database], mongo[privacy_settings.database]
    assert await intake_db["families"].find_one({"_id": family["_id"]}) is None
    assert await intake_db["families"].find_one({"_id": other["_id"]}) is not None
    assert await privacy_db["subjects"].find_one({"_id": ref}) is None
    assert await privacy_db["subjects"].find_one({"_id": other["family_ref"]}) is not None
    assert await privacy_db["erased"].find_one({"_id": ref}) is not None
    keys = await privacy_db["keys"].find({"subject_ref": ref}).to_list()
    assert keys
    assert all("wrapped" not in k for k in keys)
    assert await privacy_db["keys"].count_documents(
        {"subject_ref": other["family_ref"], "wrapped": {"$exists": True}}
    )
    actions = [e["action"] for e in case["audit"]]
    assert actions[0] == "case-opened"
    assert actions.count("ack-received") == 5
    assert actions[-1] == "case-closed"
    trail = json.dumps(await privacy_db["audit"].find().to_list(), default=json_util.default)
    assert not [v for v in IDENTITY_VALUES if v in trail]
    assert await privacy_db["statistics"].count_documents({}) == 1


async def test_access_export_gathers_every_service_part(
    infra, unique, intake_settings, privacy_settings, staff_bearer, mongo, dev_issuer
) -> None:
    async with network(infra, unique, intake_settings, privacy_settings) as net:
        family = await _family(net, mongo, intake_settings, privacy_settings, staff_bearer)
        privacy = net["clients"]["privacy"]
        await dev_issuer.sign_in(privacy, "dpo")
        page = await privacy.get("/dossiers")
        csrf = page.text.split('name="csrf" value="')[1].split('"')[0]
        form = {"kind": "access", "subject_kind": "family", "csrf": csrf}
        opened = await privacy.post("/dossiers", data=form | {"subject_ref": family["family_ref"]})
        assert opened.status_code == 303
        case_id = opened.headers["location"].rsplit("/", 1)[1]
        await case_when(privacy, case_id, closed)
        case_page = await privacy.get(f"/dossiers/{case_id}")
        export = (await privacy.get(f"/dossiers/{case_id}/export.json")).json()
        readable = await privacy.get(f"/dossiers/{case_id}/export.html")
        acks = await mongo[privacy_settings.database]["cases"].find_one({"_id": case_id})
        # a case answered before the parts were counted (no counts stored) reads the same
        privacy_db = mongo[privacy_settings.database]
        await privacy_db["cases"].update_one(
            {"_id": case_id}, {"$unset": {f"acks.{s}.counts": "" for s in EVERY_SERVICE}}
        )
        await privacy_db["audit"].update_many(
            {"case_id": case_id, "action": "ack-received"}, {"$set": {"counts": {}}}
        )
        before = await privacy.get(f"/dossiers/{case_id}")

    assert set(export["services"]) == EVERY_SERVICE
    assert export["missing"] == []
    intake = export["services"]["intake"]["family"]
    assert intake["identity"]["parent"]["last_name"] == "Diallo"
    assert intake["requests"][0]["notes"] == request_body()["notes"]
    assert export["services"]["matching"]["requests"][0]["family_ref"] == family["family_ref"]
    assert export["services"]["privacy"]["subject"]["_id"] == family["family_ref"]
    assert export["services"]["directory"] == {}
    assert readable.status_code == 200
    assert "Diallo" in readable.text
    assert "Les données que le réseau Entraide détient sur vous" in readable.text
    sealed = json.dumps(acks, default=json_util.default)  # what privacy stores: sealed parts
    assert not [v for v in IDENTITY_VALUES if v in sealed]
    # an empty list reads « rien » whatever its field's gender, never « (aucun) »
    assert "(aucun)" not in readable.text

    # each service's answer says what it did for access: its part counted, or nothing
    assert acks["acks"]["intake"]["counts"]["family"] == 1
    assert acks["acks"]["directory"]["counts"] == {}
    answers = {row[0]: row[2] for row in rows_of(case_page.text) if len(row) == 3}
    assert answers["Accueil des familles"].startswith("exporté (1 fiche de famille"), answers
    assert answers["Mise en relation"].startswith("exporté ("), answers
    assert answers["Annuaire"] == "rien à exporter", answers
    for shown in (case_page, before):
        page = text_of(shown.text)
        assert "rien à effacer" not in page
        assert "Accueil des familles a répondu : exporté (1 fiche de famille" in page
        assert "Annuaire a répondu : rien à exporter." in page


async def test_silent_services_get_the_command_again_then_the_case_is_escalated(
    infra, unique, intake_settings, privacy_settings, staff_bearer, mongo
) -> None:
    clock = Clock()
    settings = privacy_settings.model_copy(
        update={
            "rights_services": ("intake", "privacy", "ghost"),
            "ack_retry_seconds": 60,
            "watchdog_interval_seconds": 3600,  # the test ticks by itself
        }
    )
    async with network(infra, unique, intake_settings, settings, clock=clock) as net:
        family = await _family(net, mongo, intake_settings, settings, staff_bearer)
        rights = lookup(net["apps"]["privacy"], Rights)
        opened = await rights.open(
            CaseKind.ERASURE, family["family_ref"], SubjectKind.FAMILY, actor="test"
        )
        cases = mongo[settings.database]["cases"]

        async def two_acks():
            found = await cases.find_one({"_id": opened.case_id})
            return len(found["acks"]) == 2

        await eventually(two_acks, what="intake and privacy acknowledged")
        assert await rights.tick() == 0  # too early to resend
        clock.advance(seconds=61)
        assert await rights.tick() == 1
        clock.advance(seconds=61)
        assert await rights.tick() == 1
        clock.advance(seconds=61)
        assert await rights.tick() == 1  # third resend: escalated too
        case = await cases.find_one({"_id": opened.case_id})

    assert case["status"] == "escalated"
    assert case["sends"] == 4
    trail = await mongo[settings.database]["audit"].find({"case_id": opened.case_id}).to_list()
    actions = [e["action"] for e in trail]
    assert actions.count("command-resent") == 3
    assert actions.count("case-escalated") == 1
    escalated = next(e for e in trail if e["action"] == "case-escalated")
    assert escalated["missing"] == ["ghost"]
    assert "case-closed" not in actions
