"""The staff's daily mails (`notifications.daily`), against a notifier that keeps its keys
as the real one does: one mail a day per recipient with something to tell, keyed by the
day whatever the rounds; none when there is nothing; a failure ends the round (the loop
tries again later) and the next round sends only what is missing."""

from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, date, datetime
from typing import Any

import pytest

from entraide.kit.notifications import Channel, Notification
from entraide.kit.notifications.daily import send_daily, staff_mail

TODAY = date(2026, 12, 2)
RECIPIENTS = {"unaf": "coordination@unaf.example.org", "afev": "accueil@afev.example.org"}


class Notifier:
    """Records each key once, as `MongoNotifier` does; `failing` refs raise instead."""

    def __init__(self, failing: frozenset[str] = frozenset()) -> None:
        self.sent: dict[str, Notification] = {}
        self.failing = failing

    async def notify(self, notification: Notification) -> None:
        if notification.recipient_ref in self.failing:
            raise ConnectionError("the store is away")
        self.sent.setdefault(notification.key, notification)


def counts(told: Mapping[str, int]) -> Callable[[str], Awaitable[Mapping[str, Any] | None]]:
    async def context_of(ref: str) -> Mapping[str, Any] | None:
        return {"waiting": told[ref]} if told.get(ref) else None

    return context_of


async def test_each_recipient_with_something_to_tell_gets_one_mail_a_day() -> None:
    notifier = Notifier()
    for _ in range(3):  # restarts, a second replica: the same day's key
        asked = await send_daily(
            notifier,
            "demandes-a-confirmer",
            RECIPIENTS,
            today=TODAY,
            context_of=counts({"afev": 2, "unaf": 1}),
        )
        assert asked == 2
    assert sorted(notifier.sent) == [
        "demandes-a-confirmer:afev:2026-12-02",
        "demandes-a-confirmer:unaf:2026-12-02",
    ]
    afev = notifier.sent["demandes-a-confirmer:afev:2026-12-02"]
    assert afev.to == "accueil@afev.example.org"
    assert afev.recipient_ref == "afev"
    assert afev.channel is Channel.EMAIL
    assert afev.template == "demandes-a-confirmer"
    assert afev.context == {"on": TODAY, "waiting": 2}  # the day the mail speaks of
    await send_daily(
        notifier,
        "demandes-a-confirmer",
        RECIPIENTS,
        today=date(2026, 12, 3),
        context_of=counts({"afev": 1}),
    )
    assert "demandes-a-confirmer:afev:2026-12-03" in notifier.sent  # the next day: a new one


async def test_nothing_is_sent_to_a_recipient_with_nothing_to_tell() -> None:
    notifier = Notifier()

    async def empty(ref: str) -> Mapping[str, Any] | None:
        return {} if ref == "afev" else None

    assert await send_daily(notifier, "t", RECIPIENTS, today=TODAY, context_of=empty) == 0
    assert notifier.sent == {}


async def test_a_failure_ends_the_round_and_the_next_sends_only_what_is_missing() -> None:
    # as the three services did: the error reaches the loop (which counts the failed round
    # and tries again after a backoff), the recipients before it are recorded once
    recipients = {"afev": "a@example.org", "ppm": "p@example.org", "unaf": "u@example.org"}
    told = counts({"afev": 1, "ppm": 1, "unaf": 1})
    notifier = Notifier(failing=frozenset({"ppm"}))
    with pytest.raises(ConnectionError):
        await send_daily(notifier, "t", recipients, today=TODAY, context_of=told)
    assert list(notifier.sent) == ["t:afev:2026-12-02"]  # in the recipients' order
    notifier.failing = frozenset()
    assert await send_daily(notifier, "t", recipients, today=TODAY, context_of=told) == 3
    assert sorted(notifier.sent) == ["t:afev:2026-12-02", "t:ppm:2026-12-02", "t:unaf:2026-12-02"]


def test_a_mail_not_about_a_day_is_keyed_by_what_it_follows() -> None:
    updated = datetime(2026, 6, 1, 9, 30, tzinfo=UTC)
    mail = staff_mail(
        "rappel-offre",
        about="offer-1",
        on=updated,
        to="ppm@example.org",
        recipient_ref="parrains-par-mille",
        context={"offer": "Parrainage"},
    )
    assert mail.key == "rappel-offre:offer-1:2026-06-01T09:30:00+00:00"
    assert (mail.channel, mail.to, mail.recipient_ref) == (
        Channel.EMAIL,
        "ppm@example.org",
        "parrains-par-mille",
    )
