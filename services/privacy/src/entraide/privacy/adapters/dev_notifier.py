"""A development notifier: what would be sent, kept in this process's memory (the last
200) and logged without its recipient nor content. For `make up` and tests until the kit's
SMTP and SMS senders are wired; never for production."""

import logging
from collections import deque

from entraide.kit.notifications import Notification

log = logging.getLogger(__name__)


class DevelopmentNotifier:
    """The kit's `Notifier` protocol; `sent` is what a test or a developer reads."""

    def __init__(self, keep: int = 200) -> None:
        self.sent: deque[Notification] = deque(maxlen=keep)
        self._keys: set[str] = set()

    async def notify(self, notification: Notification) -> None:
        if notification.key in self._keys:
            return
        self._keys.add(notification.key)
        self.sent.append(notification)
        log.info(
            "notification kept (development notifier, not sent)",
            extra={"template": notification.template, "recipient_ref": notification.recipient_ref},
        )

    def last_to(self, to: str) -> Notification | None:
        """The last notification for this address or phone (tests, development)."""
        return next((n for n in reversed(self.sent) if n.to == to), None)
