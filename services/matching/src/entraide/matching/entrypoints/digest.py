"""The coordinators' daily digest, as a lifespan: a round at start, then one a day (the
digest's key names the day, so a restart the same day sends nothing more); the notifier's
own loop (retries) runs beside it."""

import contextlib
import logging
from collections.abc import AsyncIterator, Mapping
from datetime import UTC, datetime
from typing import Any

from entraide.kit import loops
from entraide.kit.formats import paris
from entraide.kit.notifications.mongo import MongoNotifier
from entraide.matching.usecases.digest import send_digests
from entraide.matching.usecases.ports import FollowUpDocuments, MatchDocuments, VolunteerViews

log = logging.getLogger(__name__)
DAY = 24 * 3600.0


@contextlib.asynccontextmanager
async def running(
    matches: MatchDocuments,
    followups: FollowUpDocuments,
    volunteers: VolunteerViews,
    notifier: MongoNotifier,
    recipients: Mapping[str, str],
    link: str,
    _app: Any,
    every_seconds: float = DAY,
) -> AsyncIterator[None]:
    async def round_() -> None:
        today = paris(datetime.now(UTC)).date()
        asked = await send_digests(
            matches, followups, volunteers, notifier, recipients, today=today, link=link
        )
        log.info("coordinators' digests", extra={"asked": asked})

    async with notifier.running(), loops.every(every_seconds, round_, name="digests")(_app):
        yield
