"""The retention sweep, with the clock moved to 3 years and a day after the last contacts:
it erases exactly the expired subjects among thousands (through the same erasure cases a
person's request opens, five acknowledgements each), warns those about to expire, keeps
anonymous statistics, and leaves everyone else alone. A dry run changes nothing.

Privacy reads the shared topics from the start, so its registry also gets other tests'
families: once it has read them, the test leaves only its own subjects in it (a registry of
thousands either way; on a broker with a long history, thousands of cases otherwise)."""

import random
from datetime import UTC, datetime, timedelta

from entraide.contracts.topics import MATCHES, REQUESTS, VOLUNTEERS
from entraide.contracts.vocab import ContactChannel
from entraide.intake.usecases.casework import Casework
from entraide.kit.auth import Principal, Role
from entraide.kit.deps import lookup
from entraide.privacy.domain.retention import add_years
from entraide.privacy.entrypoints.consumers.contacts import contacts_group
from tests.privacy_support import REGISTRY_TIMEOUT, Clock, caught_up, network
from tests.support import eventually, request_body

SUBJECTS = 3000
T0 = datetime.now(UTC).replace(microsecond=0)
NOW = add_years(T0, 3) + timedelta(days=1)  # the moved clock
EXPIRY_EDGE = T0 + timedelta(days=1)  # a last contact at or before it has expired at NOW


def population() -> list[dict]:
    """Subjects around the edge: one in a hundred expired, the rest kept or warned."""
    rng = random.Random(6)
    docs = []
    for n in range(SUBJECTS):
        if n % 100 == 0:
            last = EXPIRY_EDGE - timedelta(seconds=rng.randint(0, 400 * 86400))
        else:
            last = EXPIRY_EDGE + timedelta(hours=1, seconds=rng.randint(1, 400 * 86400))
        docs.append(_subject(f"synthetic-{n:06d}", last, rng.choice(["44", "75", "93", "59"])))
    docs.append(_subject("edge-expired-0001", EXPIRY_EDGE, "58"))  # exactly 3 years: erased
    # the test's clock runs on in real time: a margin of an hour for the kept edge
    docs.append(_subject("edge-kept-000001", EXPIRY_EDGE + timedelta(hours=1), "58"))
    return docs


def _subject(ref: str, last: datetime, departement: str) -> dict:
    return {
        "_id": ref,
        "kind": "family" if ref[-1] in "02468" else "volunteer",
        "last_contact_at": last,
        "first_seen_at": last - timedelta(days=200),
        "departement": departement,
        "contact_channels": ["sms"],
    }


async def test_the_sweep_erases_exactly_the_expired_subjects(
    infra, unique, intake_settings, privacy_settings, staff_bearer, mongo, dev_issuer
) -> None:
    clock = Clock(NOW - datetime.now(UTC))
    privacy_db = mongo[privacy_settings.database]
    intake_db = mongo[intake_settings.database]
    dpo = {"Authorization": f"Bearer {await dev_issuer.token_for('dpo')}"}
    async with network(infra, unique, intake_settings, privacy_settings, clock=clock) as net:
        intake, privacy = net["clients"]["intake"], net["clients"]["privacy"]
        privacy.headers.update(dpo)
        families = []
        for _ in range(2):  # two real families, last contact now (T0): both due at NOW...
            created = await intake.post(
                "/api/v1/requests",
                json=request_body() | {"confirm_new": True},  # the same parent twice
                headers=staff_bearer,
            )
            families.append(
                await intake_db["families"].find_one(
                    {"requests.request_id": created.json()["request_id"]}
                )
            )
        # ...but staff reach the second one two years later: its clock starts again
        staff = Principal(
            subject="staff-1",
            name="Claire",
            role=Role.STAFF,
            association_id="parrains-par-mille",
            territories=("44",),
        )
        await lookup(net["apps"]["intake"], Casework).log_contact(
            staff,
            families[1]["_id"],
            channel=ContactChannel.PHONE,
            note="Appel",
            noted_at=add_years(T0, 2),
        )
        reset = families[1]["family_ref"]

        async def registered() -> bool:
            doc = await privacy_db["subjects"].find_one({"_id": reset})
            return bool(doc) and doc["last_contact_at"] >= add_years(T0, 2) - timedelta(seconds=1)

        await eventually(
            registered, timeout=REGISTRY_TIMEOUT, what="the new contact in the registry"
        )
        await eventually(
            lambda: privacy_db["subjects"].find_one({"_id": families[0]["family_ref"]}),
            timeout=REGISTRY_TIMEOUT,
            what="registry",
        )
        # This privacy replayed the shared topics, other tests' families with them (all
        # "expired" at the moved clock): once it has read them all, its registry (this
        # test's own database) keeps only this test's subjects.
        group = contacts_group(privacy_settings, "privacy")  # the registry's
        topics = [REQUESTS.name, VOLUNTEERS.name, MATCHES.name]
        await eventually(
            lambda: caught_up(infra.kafka_bootstrap, group, topics),
            timeout=REGISTRY_TIMEOUT,
            what="privacy read the shared topics",
        )
        ours = [f["family_ref"] for f in families]
        await privacy_db["subjects"].delete_many({"_id": {"$nin": ours}})
        subjects = population()
        await privacy_db["subjects"].insert_many(subjects)
        expected = {s["_id"] for s in subjects if s["last_contact_at"] <= EXPIRY_EDGE}
        expected.add(families[0]["family_ref"])
        warned_month = {
            s["_id"]
            for s in subjects
            if EXPIRY_EDGE < s["last_contact_at"] <= EXPIRY_EDGE + timedelta(days=30)
        }
        warned_week = {
            s["_id"]
            for s in subjects
            if EXPIRY_EDGE < s["last_contact_at"] <= EXPIRY_EDGE + timedelta(days=7)
        }

        mine = {s["_id"] for s in subjects} | {f["family_ref"] for f in families}
        dry = (await privacy.post("/api/v1/retention/sweep", json={"dry_run": True})).json()
        assert sum(dry["expired"].values()) == len(expected)
        assert dry["warnings"] == {"30d": len(warned_month), "7d": len(warned_week)}
        assert await privacy_db["cases"].count_documents({}) == 0
        assert await privacy_db["notices"].count_documents({}) == 0

        ran = (await privacy.post("/api/v1/retention/sweep", json={"dry_run": False})).json()
        assert ran["cases_opened"] == len(expected)

        async def all_closed() -> bool:
            query = {"subject_ref": {"$in": sorted(expected)}, "status": "closed"}
            return await privacy_db["cases"].count_documents(query) == len(expected)

        await eventually(all_closed, timeout=400, what="every erasure case closed")
        again = (await privacy.post("/api/v1/retention/sweep", json={"dry_run": False})).json()

    remaining = {d["_id"] for d in await privacy_db["subjects"].find({}, {"_id": 1}).to_list()}
    assert sorted(remaining ^ (mine - expected)) == []  # a short diff if it fails
    erased = {d["_id"] for d in await privacy_db["erased"].find({}, {"_id": 1}).to_list()}
    assert sorted((erased & mine) ^ expected) == []
    assert "edge-expired-0001" in erased
    assert "edge-kept-000001" in remaining
    # Other runs sharing the broker may publish families meanwhile: "expired" at the moved
    # clock, the second sweep opens their cases too (still unanswered here); only this
    # test's subjects are judged.
    every = await privacy_db["cases"].find({}, {"subject_ref": 1, "acks": 1, "reason": 1}).to_list()
    cases = [c for c in every if c["subject_ref"] in mine]
    assert sorted({c["subject_ref"] for c in cases} ^ expected) == []
    assert [c["_id"] for c in cases if len(c["acks"]) != 5 or c["reason"] != "retention"] == []
    assert await intake_db["families"].find_one({"_id": families[0]["_id"]}) is None
    assert await intake_db["families"].find_one({"_id": families[1]["_id"]}) is not None
    stats = await privacy_db["statistics"].find({"departement": "58"}).to_list()
    assert sum(s["erased"] for s in stats) == 1  # edge-expired-0001, the only one in 58
    assert {s["reason"] for s in stats} == {"retention"}
    notices = await privacy_db["notices"].find({}, {"_id": 0}).to_list()
    assert len(notices) == len(warned_month) + len(warned_week)
    assert [n for n in notices if n["sent_at"] is None or n["channels"] != ["sms"]] == []
    # a second sweep opens no second case for them and repeats no warning
    assert len([c for c in cases if c["subject_ref"] in mine]) == len(expected)
    assert again["warnings"] == {}
