"""Mails to staff from a daily round: intake's requests waiting on « À confirmer »,
matching's coordinators' digest, directory's reminders of stale offers.

Each is an e-mail to a staff address (configuration or reference data, never a family's),
with counts only, keyed `template:about:on` so the notifier sends it once whatever the
restarts, replicas and rounds: `on` is the Paris day for a daily mail (« one mail a day,
the key names the day »), the update it follows for a reminder (one per stale period).
A failure (the store away) ends the round: the loop that runs it counts the failed round
and tries again later, and the keys send then only what is missing.
"""

from collections.abc import Awaitable, Callable, Mapping
from datetime import date
from typing import Any

from entraide.kit.notifications import Channel, Notification, Notifier

Context = Mapping[str, Any]


def staff_mail(
    template: str, *, about: str, on: date, to: str, recipient_ref: str, context: Context
) -> Notification:
    """One e-mail to staff, sent once for `about` and `on` (a day, or a datetime)."""
    return Notification(
        key=f"{template}:{about}:{on.isoformat()}",
        template=template,
        channel=Channel.EMAIL,
        to=to,
        recipient_ref=recipient_ref,
        context=context,
    )


async def send_daily(
    notifier: Notifier,
    template: str,
    recipients: Mapping[str, str],
    *,
    today: date,
    context_of: Callable[[str], Awaitable[Context | None]],
) -> int:
    """Today's mail to each recipient (its reference → its address, in the references'
    order) that `context_of` gives something to tell (None or empty: no mail); the
    context gets the day as `on`. How many were asked for (the notifier drops those
    already sent today)."""
    asked = 0
    for ref, to in sorted(recipients.items()):
        context = await context_of(ref)
        if not context:
            continue  # nothing to tell: no mail
        mail = staff_mail(
            template,
            about=ref,
            on=today,
            to=to,
            recipient_ref=ref,
            context={"on": today, **context},
        )
        await notifier.notify(mail)
        asked += 1
    return asked
