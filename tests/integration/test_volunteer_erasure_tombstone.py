"""An erased volunteer is forgotten by the compacted volunteers topic: directory publishes a
tombstone (their reference as key, a null value) through its outbox, once however often
privacy delivers the command, and a matching rebuilt from the topic does not hold them.
A volunteer who left from their space and was erased before their leaving was published
(the relay behind: Kafka down, a slow round) gets the tombstone all the same. Directory
and matching on the real broker and store; the command on privacy's real topic."""

import json
import uuid
from datetime import UTC, datetime, timedelta

from aiokafka import AIOKafkaProducer

from entraide.contracts import new_event
from entraide.contracts.envelope import CONTENT_TYPE
from entraide.contracts.events import ErasureRequested
from entraide.contracts.topics import PRIVACY_ACKS, PRIVACY_COMMANDS
from entraide.directory.adapters.rights import DirectoryRights
from entraide.directory.adapters.volunteers.store import VolunteerStore
from entraide.directory.app import create_app as directory_app
from entraide.directory.usecases.volunteer_space import VolunteerSpace
from entraide.kit.deps import lookup
from entraide.matching.adapters.volunteers import VolunteerViews
from entraide.matching.app import create_app as matching_app
from tests.integration.test_directory_matching_rebuild import _vetted_volunteer
from tests.integration.test_directory_offers import bearer, directory_settings  # noqa: F401
from tests.privacy_support import caught_up
from tests.support import eventually, everything, records, scan, serving

TOMBSTONES = "volunteer_tombstones"  # where directory's owed tombstones wait (then swept)


def erasure_of(ref: str) -> ErasureRequested:
    return ErasureRequested(
        case_id=uuid.uuid4().hex,
        subject_ref=ref,
        subject_kind="volunteer",
        deadline=datetime.now(UTC) + timedelta(days=30),
        reason="rights-request",
    )


async def test_an_erased_volunteer_gets_one_tombstone_and_a_rebuilt_matching_forgets_them(
    directory_settings,  # noqa: F811
    matching_settings,
    mongo,
    dev_issuer,
) -> None:
    settings = directory_settings.model_copy(update={"sweep_every_seconds": 0.5})
    bootstrap, topic = settings.kafka_bootstrap, settings.volunteers_topic
    app = directory_app(settings)
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
    await producer.start()
    try:
        async with serving(app) as directory:
            ppm = await bearer(dev_issuer, "ppm-nantes")
            # the first approved (matching proposes them), the other paused: kept
            erased, kept = [await _vetted_volunteer(directory, app, ppm, n) for n in range(2)]
            await records(bootstrap, topic, key=erased.encode())  # their availability is out
            command = erasure_of(erased)

            async def deliver() -> None:
                event = new_event(command, source="/entraide/privacy", subject=erased)
                await producer.send_and_wait(
                    PRIVACY_COMMANDS.name,
                    event.model_dump_json().encode(),
                    key=erased.encode(),
                    headers=[("content-type", CONTENT_TYPE.encode())],
                )

            async def acks() -> list[dict]:
                seen = await scan(
                    bootstrap, PRIVACY_ACKS.name, lambda r: r.key == erased.encode(), timeout=3
                )
                data = [json.loads(r.value)["data"] for r in seen]
                return [d for d in data if d["service"] == "directory"]

            async def acknowledged() -> list[dict]:
                await deliver()  # as privacy does: again until directory answers
                return await acks()

            await eventually(acknowledged, timeout=90, what="directory's acknowledgement")
            await deliver()  # and once more: a command delivered again
            answered = await eventually(
                lambda: _at_least(acks, 2), timeout=60, what="the command answered twice"
            )
            assert answered[0]["counts"]["volunteers"] == 1  # the first erased them
            assert answered[0]["counts"]["keys"] == 1
            assert "volunteers" not in answered[-1]["counts"]  # the last found nobody

            await records(bootstrap, topic, key=erased.encode(), where=lambda r: r.value is None)
            db = mongo[settings.database]
            await eventually(
                lambda: _none_left(db[TOMBSTONES]), timeout=30, what="the tombstone swept"
            )
            assert await lookup(app, VolunteerStore).by_ref(erased) is None

        published = await everything(bootstrap, topic)
        theirs = [r.value is None for r in published if r.key == erased.encode()]
        assert theirs == [False, True]  # their availability, then the tombstone
        others = [r.value is None for r in published if r.key == kept.encode()]
        assert others == [False, False]  # approved, paused: the other volunteer stays
    finally:
        await producer.stop()

    # a matching rebuilt from the topic (a new replica's database, a replay): the erased
    # volunteer is not proposed again, the other volunteer is there as directory has them
    rebuilding = matching_app(matching_settings.model_copy(update={"volunteers_topic": topic}))
    async with serving(rebuilding):
        group = f"{matching_settings.consumer_group_prefix}-matching-volunteers"
        await eventually(
            lambda: caught_up(bootstrap, group, [topic]), timeout=60, what="matching replayed"
        )
        views = lookup(rebuilding, VolunteerViews)
        assert await views.get(erased) is None
        assert (await views.get(kept))["active"] is False  # paused


async def test_a_volunteer_erased_before_their_leaving_was_published_still_gets_the_tombstone(
    directory_settings,  # noqa: F811
    mongo,
    dev_issuer,
) -> None:
    # no relay in this process: the approval's and the leaving's events wait in the outbox,
    # as they would with Kafka down; privacy unreachable: the wish to leave is kept
    behind = directory_settings.model_copy(
        update={"outbox_relay": False, "keyvault_url": "http://127.0.0.1:9"}
    )
    bootstrap, topic = behind.kafka_bootstrap, behind.volunteers_topic
    app = directory_app(behind)
    async with serving(app) as directory:
        ppm = await bearer(dev_issuer, "ppm-nantes")
        ref = await _vetted_volunteer(directory, app, ppm, 0)
        stored = await lookup(app, VolunteerStore).by_ref(ref)
        await lookup(app, VolunteerSpace).leave(stored["_id"])
        waiting = await lookup(app, VolunteerStore).collection.find_one({"_id": stored["_id"]})
        assert [e["value"] is None for e in waiting["outbox"]][-1]  # the leaving's tombstone
        rights, command = lookup(app, DirectoryRights), erasure_of(ref)
        first = await rights.erase(command)
        again = await rights.erase(command)  # delivered twice
        assert first["volunteers"] == 1
        assert "volunteers" not in again
        # what waits in the store for the topic: the tombstone's key, nothing of the volunteer
        [owed] = await mongo[behind.database][TOMBSTONES].find().to_list()
        [entry] = owed["outbox"]
        assert (entry["key"], entry["value"], entry["topic"]) == (ref, None, topic)
        assert set(owed) - {"_id", "outbox"} <= {"outbox_pending", "lease_until", "lease_owner"}
        assert set(entry) == {"event_id", "topic", "key", "value", "traceparent", "queued_at"}

    # the relay back (a replica with it): the tombstone goes out, once, and is swept
    relaying = directory_settings.model_copy(update={"sweep_every_seconds": 0.5})
    async with serving(directory_app(relaying)):
        await records(bootstrap, topic, key=ref.encode(), where=lambda r: r.value is None)
        await eventually(
            lambda: _none_left(mongo[behind.database][TOMBSTONES]),
            timeout=30,
            what="the tombstone swept",
        )
    theirs = [r for r in await everything(bootstrap, topic) if r.key == ref.encode()]
    assert [r.value for r in theirs] == [None]  # nothing erased went out after the erasure


async def _at_least(read, n: int):
    found = await read()
    return found if len(found) >= n else None


async def _none_left(collection) -> bool:
    return await collection.count_documents({}) == 0
