"""The association's reminder to confirm a stale offer, through the real store and a real
SMTP server: sent once per stale period, to the offer's address, with the link to the
association's space; fresh offers and hidden ones get none."""

import asyncio
from datetime import UTC, datetime, timedelta

from prometheus_client import CollectorRegistry

from entraide.directory.adapters.offers.store import OfferStore
from entraide.directory.domain.offers.events import offer_document
from entraide.directory.entrypoints.scheduled import reminders
from entraide.directory.usecases.offer_reminders import remind_stale_offers
from entraide.kit.formats import day
from entraide.kit.notifications import Channel
from entraide.kit.notifications.mongo import MongoNotifier
from entraide.kit.notifications.seal import Seal
from entraide.kit.notifications.senders import SmtpSender
from tests.smtp_server import running_smtp_server
from tests.unit.directory.offers import fields

NOW = datetime.now(UTC).replace(microsecond=0)
SPACE = "http://127.0.0.1:8010"


async def test_a_stale_offer_gets_one_reminder_with_its_link(mongo, unique) -> None:
    db = mongo[f"test_directory_{unique}"]
    store = OfferStore(db)
    ages = {"stale-offer-000001": 200, "fresh-offer-000001": 20, "hidden-offer-00001": 300}
    for offer_id, days in ages.items():
        doc = offer_document(
            offer_id,
            "parrains-par-mille",
            fields(nom=f"Offre {offer_id[:5]}", courriel=f"{offer_id}@example.org"),
            revision=1,
            now=NOW - timedelta(days=days),
        )
        await store.collection.insert_one(doc)
    # an offer without an address of its own: the association's branch in its département
    no_address = offer_document(
        "branch-offer-00001",
        "parrains-par-mille",
        fields(courriel=None),
        revision=1,
        now=NOW - timedelta(days=190),
    )
    await store.collection.insert_one(no_address)

    with running_smtp_server() as mailbox:
        notifier = MongoNotifier(
            db,
            {Channel.EMAIL: SmtpSender(host="127.0.0.1", port=mailbox.port, sender="e@x.fr")},
            seal=Seal("test"),
            registry=CollectorRegistry(),
        )
        async with reminders(store, notifier, space_url=SPACE)(None):  # the daily round
            for _ in range(50):
                if await db.notifications.count_documents({"outcome": "sent"}) >= 2:
                    break
                await asyncio.sleep(0.1)
        assert len(mailbox.messages) == 2  # the round at start sent them
        assert (
            await remind_stale_offers(store, notifier, now=NOW, space_url=SPACE) == 2
        )  # asked again: sent before
        await remind_stale_offers(store, notifier, now=NOW, space_url=SPACE)  # next day

    [mail] = mailbox.to("stale-offer-000001@example.org")
    assert mail["Subject"] == "Votre offre « Offre stale » est-elle toujours d'actualité ?"
    text = mail.get_content()
    assert f"{SPACE}/association/actions" in text  # the actions' page, those to update first
    assert day(NOW - timedelta(days=200)) in text
    assert "de Parrains Par Mille" in text
    assert len(mailbox.to("ppm-44@example.org")) == 1  # the branch in 44
    assert len(mailbox.messages) == 2  # the fresh and the hidden offers: none
    assert await db.notifications.count_documents({"outcome": "sent"}) == 2
