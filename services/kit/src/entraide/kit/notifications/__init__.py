"""Notifications that are really sent: the interface every service codes against.

A service that owns contact details (intake for families, directory for volunteers)
asks its `Notifier` to send a `Notification`; the notifier records it (what, to whom as a
reference, when, the outcome), sends it by the person's channel (e-mail through SMTP, SMS
through the provider's HTTP API), retries with backoff, never sends one `key` twice (a
redelivered event asks again: nothing more goes out), and holds SMS during quiet hours.
The address or phone number is personal data: it is never logged, and the record keeps
only the recipient's reference.

    await notifier.notify(
        Notification(
            key=f"{event.id}:demande-recue",
            template="demande-recue",
            channel=Channel.EMAIL,
            to=family_email,
            recipient_ref=family_ref,
            context={"association": "AFEV", "code": follow_up_code},
            language="ar",  # the family's: its messages in Arabic (French if none)
        )
    )

A family's messages read in its language: `templates/<language>/<template>.txt` where one
is written (what a family or a person at the public rights channel receives,
`templates.PUBLIC_TEMPLATES`, is in every language of the public doors), the French
`templates/<template>.txt` otherwise.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from entraide.contracts.vocab import WRITTEN_LANGUAGES

FRENCH = "fr"
# the languages a family's or a volunteer's messages are written in: the public doors'
LANGUAGES = WRITTEN_LANGUAGES


def opened_in(url: str, language: str) -> str:
    """A link in a message, opening its page in the message's language on whatever device
    the message is read (`lang=`, as the public pages take it; French, their default, needs
    none)."""
    if language == FRENCH:
        return url
    parts = urlsplit(url)
    query = urlencode([*parse_qsl(parts.query), ("lang", language)])
    return urlunsplit(parts._replace(query=query))


class Channel(StrEnum):
    EMAIL = "email"
    SMS = "sms"


@dataclass(frozen=True)
class Notification:
    """One message to one person, by one channel."""

    key: str  # idempotency: one key is sent at most once (e.g. the event id and template)
    template: str  # the template's name (in the kit's notification templates)
    channel: Channel
    to: str  # the e-mail address or phone number: personal data, never logged
    recipient_ref: str  # the subject's reference, kept in the record instead of `to`
    context: Mapping[str, Any] = field(default_factory=dict)  # what the template shows
    language: str = FRENCH  # one of LANGUAGES (another reads in French)


class Notifier(Protocol):
    async def notify(self, notification: Notification) -> None:
        """Record the notification and send it (now, or after the quiet hours); a key
        already recorded changes nothing."""
