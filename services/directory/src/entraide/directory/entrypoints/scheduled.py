"""Directory's daily round: the reminders of offers growing stale (`offer_reminders`)."""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from typing import Any

from entraide.directory.usecases.offer_reminders import remind_stale_offers
from entraide.directory.usecases.ports import OfferDocuments
from entraide.kit.notifications import Notifier

log = logging.getLogger(__name__)
DAY = 24 * 3600.0


def reminders(
    offers: OfferDocuments, notifier: Notifier, *, space_url: str, every_seconds: float = DAY
) -> Callable[[Any], contextlib.AbstractAsyncContextManager[None]]:
    """A lifespan for `service_app`: the round at start, then every day."""

    @contextlib.asynccontextmanager
    async def lifespan(_app: Any) -> AsyncIterator[None]:
        async def loop() -> None:
            while True:
                try:
                    asked = await remind_stale_offers(
                        offers, notifier, now=datetime.now(UTC), space_url=space_url
                    )
                    log.info("offer reminders round", extra={"asked": asked})
                except Exception:  # the store or the mail server down: tomorrow's round
                    log.warning("offer reminders round failed", exc_info=True)
                await asyncio.sleep(every_seconds)

        task = asyncio.create_task(loop(), name="offer-reminders")
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    return lifespan
