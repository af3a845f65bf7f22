"""Retention warnings: delivering the notices the sweep queued, through a `Sender`.

A notice says which subject, which warning ("30d", "7d"), when the data expires and by
which channels the family chose to be reached; never a name, number or address.
"""

from datetime import datetime

from entraide.privacy.usecases.ports import Notices, Sender


async def deliver(notices: Notices, sender: Sender, now: datetime) -> int:
    """Send every notice still due, then mark them sent; how many were sent."""
    pending = await notices.pending()
    for notice in pending:
        await sender.send(notice)
    await notices.mark_sent([n.notice_id for n in pending], now)
    return len(pending)
