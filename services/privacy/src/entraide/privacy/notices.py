"""Retention warnings: delivering the notices the sweep queued, and a sender that logs them.

A notice says which subject, which warning ("30d", "7d"), when the data expires and by
which channels the family chose to be reached; never a name, number or address. The
delivery itself needs the contact details intake holds: `LoggingSender` stands in for it
and logs the notice id, warning and channel only.
"""

import logging
from datetime import datetime

from entraide.privacy.domain import Notice
from entraide.privacy.ports import Notices, Sender

log = logging.getLogger(__name__)


class LoggingSender:
    async def send(self, notice: Notice) -> None:
        log.info(
            "retention warning sent",
            extra={
                "notice_id": notice.notice_id,
                "warning": notice.warning,
                "channels": list(notice.channels),
            },
        )


async def deliver(notices: Notices, sender: Sender, now: datetime) -> int:
    """Send every notice still due, then mark them sent; how many were sent."""
    pending = await notices.pending()
    for notice in pending:
        await sender.send(notice)
    await notices.mark_sent([n.notice_id for n in pending], now)
    return len(pending)
