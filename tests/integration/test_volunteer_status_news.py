"""A volunteer's application status is told even when the notifier fails at the time of
the decision, on the real store, broker and SMTP server: the review stands, the news is
noted owed in the volunteer's document by the review's own write, and directory's pass
(at its start, then every few minutes) tells them and clears the note; asked again (a
note left by a crash after the notifier's record), nothing more is sent."""

import asyncio

from pymongo.errors import AutoReconnect

from entraide.directory.app import create_app as directory_app
from entraide.kit.deps import lookup
from entraide.kit.notifications import Notification
from entraide.kit.notifications.mongo import MongoNotifier
from tests.integration.test_directory_offers import directory_settings  # noqa: F401
from tests.integration.test_notifications_volunteers import (  # noqa: F401
    EMAIL,
    STATUS_SUBJECT,
    apply,
    review,
    senders,
    settings,
    status_mails,
)
from tests.integration.test_volunteer_to_family import APPLICATION
from tests.support import eventually, serving


async def test_a_status_the_notifier_failed_to_record_is_told_by_the_pass_once(
    settings,  # noqa: F811
    senders,  # noqa: F811
    dev_issuer,
    mongo,
    monkeypatch,
) -> None:
    mailbox, _ = senders
    volunteers = mongo[settings.database].volunteers
    app = directory_app(settings)
    async with serving(app) as client:
        staff = {"Authorization": f"Bearer {await dev_issuer.token_for('ppm-nantes')}"}
        volunteer_id, ref = await apply(app, client, APPLICATION)

        async def store_away(notification: Notification) -> None:
            raise AutoReconnect("the notifier's store is away")

        monkeypatch.setattr(lookup(app, MongoNotifier), "notify", store_away)
        await review(client, staff, volunteer_id, status="in-review", honorability="cleared")
        doc = await volunteers.find_one({"_id": volunteer_id})
        assert doc["status"] == "in-review"  # the review stands
        assert (doc["news_owed"]["status"], doc["news_owed"]["revision"]) == ("in-review", 2)
        assert [s for s, _ in status_mails(mailbox, EMAIL, STATUS_SUBJECT)] == [
            f"{STATUS_SUBJECT} : reçue"
        ]

    async def settled() -> bool:
        return "news_owed" not in await volunteers.find_one({"_id": volunteer_id})

    async with serving(directory_app(settings)):  # directory starts again: its pass
        await eventually(settled, what="the status news settled")
    # as if directory had died after the notifier's record, before clearing the note: the
    # pass asks again, and the notifier's key sends nothing more
    await volunteers.update_one({"_id": volunteer_id}, {"$set": {"news_owed": doc["news_owed"]}})
    async with serving(directory_app(settings)):
        await eventually(settled, what="the status news settled again")
        await asyncio.sleep(0.5)  # a mail sent twice would be here by now
    assert [s for s, _ in status_mails(mailbox, EMAIL, STATUS_SUBJECT)] == [
        f"{STATUS_SUBJECT} : reçue",
        f"{STATUS_SUBJECT} : en cours d'examen",
    ]
    records = mongo[settings.database].notifications.find({"recipient_ref": ref})
    assert sorted(r["_id"] for r in await records.to_list()) == [
        f"candidature:{ref}:1",
        f"candidature:{ref}:2",
    ]
