"""Would-be volunteers never approved are erased 3 years after their application's last
change, on the real store and broker, by directory's own pass at its start: one declined,
one never reviewed, with their key, their sign-in lookups and their messages; one declined
more lately and one approved long ago stay. Privacy erasing one of them later finds
nothing left (zero rows). They used to stay for ever: privacy's registry hears of an
application from a topic that keeps 90 days."""

import uuid
from datetime import UTC, datetime, timedelta

from entraide.contracts.events import ErasureRequested
from entraide.directory.adapters.rights import REFS, DirectoryRights
from entraide.directory.adapters.volunteers.store import VolunteerStore
from entraide.directory.app import create_app as directory_app
from entraide.kit.deps import lookup
from tests.integration.test_directory_offers import bearer, directory_settings  # noqa: F401
from tests.support import eventually, serving

NOW = datetime.now(UTC)
OLD = NOW - timedelta(days=3 * 366)  # past 3 years, whatever the leap days
RECENT = NOW - timedelta(days=3 * 365 - 30)


async def _applied(client, n: int) -> str:
    form = {
        "identity": {
            "prenom": f"Candidate {n}",
            "nom": "Inventée",
            "courriel": f"c{n}@example.org",
        },
        "association_id": "parrains-par-mille",
        "code_postal": "44000",
        "needs": ["parrainage-de-proximite"],
        "availability": [{"day": "we", "part": "afternoon"}],
        "consent": True,
    }
    answer = await client.post("/api/v1/volunteers", json=form)
    assert answer.status_code == 201, answer.text
    return answer.json()["volunteer_id"]


async def test_applications_never_approved_go_three_years_after_their_last_change(
    directory_settings,  # noqa: F811
    mongo,
    dev_issuer,
) -> None:
    settings = directory_settings
    db = mongo[settings.database]
    async with serving(directory_app(settings)) as directory:
        ppm = await bearer(dev_issuer, "ppm-nantes")
        declined, pending, lately, approved = [await _applied(directory, n) for n in range(4)]
        for volunteer_id in (declined, lately, approved):
            url = f"/api/v1/staff/volunteers/{volunteer_id}"
            review = {"status": "in-review", "honorability": "cleared"}
            assert (await directory.patch(url, json=review, headers=ppm)).status_code == 200
        for volunteer_id, status in (
            (declined, "declined"),
            (lately, "declined"),
            (approved, "approved"),
        ):
            url = f"/api/v1/staff/volunteers/{volunteer_id}"
            answer = await directory.patch(url, json={"status": status}, headers=ppm)
            assert answer.status_code == 200, answer.text
    refs = {d["_id"]: d["volunteer_ref"] async for d in db["volunteers"].find({})}
    # their last change moved into the past (as years of waiting would)
    for volunteer_id, at in ((declined, OLD), (pending, OLD), (lately, RECENT), (approved, OLD)):
        dated = {"updated_at": at, "applied_at": at - timedelta(days=20)}
        await db["volunteers"].update_one({"_id": volunteer_id}, {"$set": dated})
    expired, kept = [declined, pending], [lately, approved]
    await db["notifications"].insert_one(
        {"_id": uuid.uuid4().hex, "recipient_ref": refs[declined], "template": "candidature"}
    )
    assert await _held(db, refs[declined])  # their lookup at least, and the message

    app = directory_app(settings)
    async with serving(app):
        await eventually(lambda: _gone(db, expired), timeout=30, what="the expired erased")
        left = {d["_id"] async for d in db["volunteers"].find({}, {"_id": 1})}
        assert set(kept) <= left
        keys = {d["_id"] async for d in db["volunteer_keys"].find({}, {"_id": 1})}
        assert not keys & set(expired)  # their identity unreadable in any copy
        assert set(kept) <= keys
        for volunteer_id in expired:
            assert await _held(db, refs[volunteer_id]) == {}
        assert await _held(db, refs[approved])

        # privacy erasing one of them later (her last contact it did hear of): nothing left
        rights = lookup(app, DirectoryRights)
        assert await rights.erase(_erasure(refs[declined])) == {}
        # the store still serves the volunteers left as before
        assert (await lookup(app, VolunteerStore).by_ref(refs[lately]))["status"] == "declined"


async def test_an_application_changed_after_the_read_stays_and_one_claimed_takes_no_write(
    directory_settings,  # noqa: F811
    mongo,
    dev_issuer,
) -> None:
    """The claim is guarded by the revision and date read: staff reviewing the application
    between the pass's read and its claim keep it; once claimed, their review is refused
    (409: reload) rather than written on a record about to go."""
    settings = directory_settings.model_copy(update={"application_retention_years": 50})
    db = mongo[settings.database]
    app = directory_app(settings)  # its own pass erases nobody: 50 years
    async with serving(app) as directory:
        ppm = await bearer(dev_issuer, "ppm-nantes")
        reviewed, claimed = [await _applied(directory, n) for n in range(2)]
        await db["volunteers"].update_many({}, {"$set": {"updated_at": OLD}})
        store = lookup(app, VolunteerStore)
        before = NOW - timedelta(days=3 * 365)
        read = {a.id: a for a in await store.expired(before, 10)}
        assert set(read) == {reviewed, claimed}

        url = f"/api/v1/staff/volunteers/{reviewed}"
        review = {"status": "in-review"}
        assert (await directory.patch(url, json=review, headers=ppm)).status_code == 200
        assert not await store.claim_expired(read[reviewed], before)  # a new contact: stays

        assert await store.claim_expired(read[claimed], before)
        url = f"/api/v1/staff/volunteers/{claimed}"
        assert (await directory.patch(url, json=review, headers=ppm)).status_code == 409
        assert (await store.get(claimed))["status"] == "applied"


async def _gone(db, ids: list[str]) -> bool:
    return await db["volunteers"].count_documents({"_id": {"$in": ids}}) == 0


async def _held(db, ref: str) -> dict[str, int]:
    """How many documents name the reference, by collection (where privacy's erasure looks)."""
    held: dict[str, int] = {}
    for name, fields in REFS.items():
        for field in fields:
            if count := await db[name].count_documents({field: ref}):
                held[name] = count
    return held


def _erasure(ref: str) -> ErasureRequested:
    return ErasureRequested(
        case_id=uuid.uuid4().hex,
        subject_ref=ref,
        subject_kind="volunteer",
        deadline=NOW + timedelta(days=30),
        reason="retention",
    )
