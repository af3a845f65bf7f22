"""The news of a volunteer's application status (received, under review, accepted,
declined, paused, active again), told even if directory stops in the middle.

The status's own write notes the news owed (`news_owed`: the status, the one before, the
revision it changed at, since when); `settle` asks the notifier, then clears the note in
one write guarded by it (still that revision's). A crash, or the notifier or its store
failing, anywhere between leaves the note, and the next pass (`settle_owed`: at
directory's start, then every few minutes) settles it: the notifier's key (the revision)
sends nothing twice. A status changed again before the news went replaces the note: the
volunteer is told their latest status (leaving cancels it); only a message the notifier
was recording as the later status was written may still arrive after that one's (the
notifier sends each as it is recorded). The bound: a note older than `TELL_WITHIN` goes
untold (logged by the volunteer's id), so no stale news goes out days late."""

import logging
from datetime import datetime, timedelta

from entraide.directory.domain.volunteers.volunteer import Volunteer
from entraide.directory.usecases.ports import Volunteers
from entraide.directory.usecases.volunteer_news import VolunteerNews

log = logging.getLogger(__name__)
TELL_WITHIN = timedelta(days=3)  # then the news goes untold: tried at every pass until then
BATCH = 100  # notes settled by a pass at a time (the oldest first)


async def settle(
    volunteers: Volunteers, news: VolunteerNews, volunteer: Volunteer, now: datetime
) -> bool:
    """Tell the volunteer the news noted on them (within the bound), then clear the note;
    whether this call cleared it. A failure to tell leaves it owed (logged by the
    volunteer's id and the error's kind: never the address the error may name)."""
    owed = volunteer.news_owed
    if owed is None:
        return False
    if now - owed.since < TELL_WITHIN:
        try:
            await news.status_changed(volunteer, owed)  # recorded by the notifier, keyed
        except Exception as error:  # the notifier's store, its template: the next pass tries
            log.warning(
                "status news not recorded: owed to the next pass",
                extra={"volunteer_id": volunteer.id, "error": type(error).__name__},
            )
            return False
    else:
        log.warning("status news never recorded: given up", extra={"volunteer_id": volunteer.id})
    return await volunteers.told(volunteer.id, owed)


async def settle_owed(volunteers: Volunteers, news: VolunteerNews, now: datetime) -> int:
    """Settle the news still owed (a batch, the oldest first); how many this pass settled."""
    owing = await volunteers.owing_news(BATCH)
    return sum([await settle(volunteers, news, volunteer, now) for volunteer in owing])
