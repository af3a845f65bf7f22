"""Directory's daily round: the reminders of offers growing stale (`offer_reminders`)."""

import contextlib
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from entraide.directory.usecases.offer_reminders import remind_stale_offers
from entraide.directory.usecases.ports import OfferDocuments
from entraide.kit import loops
from entraide.kit.notifications import Notifier

log = logging.getLogger(__name__)
DAY = 24 * 3600.0


def reminders(
    offers: OfferDocuments, notifier: Notifier, *, space_url: str, every_seconds: float = DAY
) -> Callable[[Any], contextlib.AbstractAsyncContextManager[None]]:
    """A lifespan for `service_app`: the round at start, then every day (the store or the
    mail server down: the kit's loop tries again after a backoff)."""

    async def round_() -> None:
        asked = await remind_stale_offers(
            offers, notifier, now=datetime.now(UTC), space_url=space_url
        )
        log.info("offer reminders round", extra={"asked": asked})

    return loops.every(every_seconds, round_, name="offer-reminders")
