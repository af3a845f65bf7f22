"""The coordinators' daily digest through matching's own lifespan, the real store and a
real SMTP server: counts per association (proposals waiting, follow-ups due, rupture
alerts, ongoing supports whose volunteer's honorability check expired or expires within
30 days), none for an association with nothing to do, one a day."""

from datetime import UTC, datetime, timedelta

from entraide.kit.formats import paris
from entraide.matching.app import create_app
from tests.smtp_server import running_smtp_server
from tests.support import eventually, serving

PPM, AFEV = "coordination-ppm@example.org", "coordination-afev@example.org"


async def test_matching_mails_each_coordinator_the_days_digest(matching_settings, mongo) -> None:
    today = paris(datetime.now(UTC)).date()
    db = mongo[matching_settings.database]
    at = datetime.now(UTC) - timedelta(days=40)
    await db["matches"].insert_many(
        [
            {"_id": f"m-{n}", "state": "proposed", "association_id": "parrains-par-mille"}
            for n in range(3)
        ]
        + [
            {"_id": f"m-{n}", "state": "accepted", "association_id": "parrains-par-mille"}
            | {"support_key": f"volunteer:{ref}"}
            for n, ref in ((9, "v-expired"), (10, "v-valid"))
        ]
    )
    await db["volunteers"].insert_many(  # the read model keeps the event's ISO day
        [
            {"_id": ref, "association_id": "parrains-par-mille", "honorability_valid_until": day}
            for ref, day in (
                ("v-expired", (today - timedelta(days=1)).isoformat()),
                ("v-valid", (today + timedelta(days=31)).isoformat()),
            )
        ]
    )
    due = (today - timedelta(days=1)).isoformat()
    later = (today + timedelta(days=30)).isoformat()
    await db["followups"].insert_many(
        [
            {
                "_id": "m-9",
                "association_id": "parrains-par-mille",
                "next_on": due,
                "items": [
                    {"kind": "1-month", "at": at, "on": due},
                    {"kind": "rupture", "at": at, "on": due},
                    {"kind": "3-month", "at": at, "on": later},
                ],
            }
        ]
    )
    with running_smtp_server() as mailbox:
        settings = matching_settings.model_copy(
            update={
                "smtp_port": mailbox.port,
                "scheduler": False,
                "coordinator_emails": {"parrains-par-mille": PPM, "afev": AFEV},
            }
        )
        for _ in range(2):  # a restart the same day: no second digest
            async with serving(create_app(settings)):

                async def sent() -> bool:
                    return bool(mailbox.to(PPM))

                await eventually(sent, timeout=60, what="the digest")

    [mail] = mailbox.to(PPM)
    assert mail["Subject"] == f"Entraide : ce qui vous attend le {today:%d/%m/%Y}"
    text = mail.get_content()
    assert "- 3 propositions à examiner" in text
    assert "- 1 suivi à faire" in text
    assert "- 1 alerte" in text
    assert (
        "- 1 accompagnement dont l'attestation d'honorabilité du bénévole a expiré ou "
        "expire dans les 30 jours"
    ) in text
    assert "http://127.0.0.1:8030/propositions" in text
    assert mailbox.to(AFEV) == []  # nothing to do
    record = await db["notifications"].find_one({})
    assert record["_id"] == f"synthese-coordination:parrains-par-mille:{today.isoformat()}"
    assert record["outcome"] == "sent"
