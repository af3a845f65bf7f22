"""Staff are told each day how many families' own requests wait for them on « À confirmer »
(the door « Demander de l'aide »): a parent who asked alone waits for a call back, and no
one saw the queue unless they opened the page. One e-mail a day per association (the key
names the day: a restart or a second replica sends nothing more), with the count and the
oldest's day only: no family's data. Intake holds no staff addresses: they are
configuration (`recipients`: association id → address; `NETWORK` for the requests sent to
no association, which the network's coordination confirms)."""

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, Protocol

from entraide.kit.notifications import Notifier
from entraide.kit.notifications.daily import send_daily

TEMPLATE = "demandes-a-confirmer"
NETWORK = "reseau"


class WaitingRequests(Protocol):
    """The door's queue, as the digest reads it (`adapters.self_requests`)."""

    async def waiting_for(self, association_id: str | None) -> tuple[int, datetime] | None:
        """How many requests sent to this association (None: to none) wait, and since when
        the oldest; None if none waits."""
        ...


async def send_digests(
    queue: WaitingRequests,
    notifier: Notifier,
    recipients: Mapping[str, str],
    *,
    today: date,
    link: str,
) -> int:
    """One digest per association with requests waiting; how many were asked for."""

    async def waiting(association_id: str) -> Mapping[str, Any] | None:
        found = await queue.waiting_for(None if association_id == NETWORK else association_id)
        if found is None:
            return None  # none waiting: no mail
        count, since = found
        return {"waiting": count, "since": since, "link": link}

    return await send_daily(notifier, TEMPLATE, recipients, today=today, context_of=waiting)
