"""Staff are told each day how many families' own requests wait for them
(`usecases.door_digest`, against fakes): a count and the oldest's day per association, the
network's coordination for those sent to none, nothing for an association with none."""

from datetime import UTC, date, datetime

from entraide.intake.usecases.door_digest import NETWORK, TEMPLATE, send_digests
from entraide.kit.notifications import Channel, Notification

TODAY = date(2026, 12, 2)
OLDEST = datetime(2026, 11, 24, 8, tzinfo=UTC)


class Queue:
    def __init__(self, waiting: dict[str | None, int]) -> None:
        self.waiting = waiting

    async def waiting_for(self, association_id: str | None) -> tuple[int, datetime] | None:
        count = self.waiting.get(association_id, 0)
        return (count, OLDEST) if count else None


class Notifier:
    def __init__(self) -> None:
        self.sent: list[Notification] = []

    async def notify(self, notification: Notification) -> None:
        self.sent.append(notification)


async def test_each_association_with_requests_waiting_is_told_once_a_day() -> None:
    queue = Queue({"parrains-par-mille": 3, None: 2})
    notifier = Notifier()
    recipients = {
        "parrains-par-mille": "accueil-ppm@example.org",
        "afev": "accueil-afev@example.org",  # none waiting: no mail
        NETWORK: "coordination@example.org",  # those sent to no association
    }
    asked = await send_digests(
        queue,
        notifier,
        recipients,
        today=TODAY,
        link="http://127.0.0.1:8020/a-confirmer",
    )
    assert asked == 2
    told = {n.to: n for n in notifier.sent}
    assert sorted(told) == ["accueil-ppm@example.org", "coordination@example.org"]
    ppm = told["accueil-ppm@example.org"]
    assert ppm.key == f"{TEMPLATE}:parrains-par-mille:2026-12-02"  # one a day
    assert ppm.channel == Channel.EMAIL
    assert ppm.context["waiting"] == 3
    assert ppm.context["since"] == OLDEST
    assert told["coordination@example.org"].context["waiting"] == 2
