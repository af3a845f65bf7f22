"""The association's reminder to confirm an offer growing stale (`fields.freshness`: six
months without an update), by e-mail through the kit's notifier, with the link to its
space where one click confirms it. One reminder per stale period: the key names the
offer and the update it follows, so the daily round sends nothing twice, and an offer
confirmed then left again for six months gets a new one.

The address: the offer's own `courriel` (its public contact, given by the association),
else the association's branch for the offer's first département (reference data)."""

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from entraide.directory.domain.associations import ASSOCIATIONS, name_of
from entraide.directory.domain.offers.fields import Freshness, freshness
from entraide.directory.usecases.ports import OfferDocuments
from entraide.kit.notifications import Notifier
from entraide.kit.notifications.daily import staff_mail

TEMPLATE = "rappel-offre"


def address_of(doc: Mapping[str, Any]) -> str | None:
    """Where the offer's reminder goes (None: nowhere known)."""
    if doc.get("courriel"):
        return str(doc["courriel"])
    association = ASSOCIATIONS.get(doc["association_id"])
    zones = doc.get("zone_eligibilite") or []
    branch = association.branch_for(zones[0]) if association and zones else None
    return branch.courriel if branch else None


async def remind_stale_offers(
    offers: OfferDocuments, notifier: Notifier, *, now: datetime, space_url: str
) -> int:
    """Ask the notifier for a reminder of every offer due one; how many were asked for
    (the notifier drops those already sent)."""
    asked = 0
    async for doc in offers.every():  # a cursor: one offer at a time, however many
        if freshness(doc["updated_at"], now) is not Freshness.REMINDER:
            continue  # fresh, or already hidden (the space shows those)
        to = address_of(doc)
        if to is None:
            continue
        mail = staff_mail(  # one per stale period: the key names the update it follows
            TEMPLATE,
            about=doc["_id"],
            on=doc["updated_at"],
            to=to,
            recipient_ref=doc["association_id"],
            context={
                "offer": doc["nom"],
                "association": name_of(doc["association_id"]),
                "confirmed_on": doc["updated_at"],
                "link": f"{space_url.rstrip('/')}/association/actions",
            },
        )
        await notifier.notify(mail)
        asked += 1
    return asked
