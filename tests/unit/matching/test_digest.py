"""The coordinators' daily digest: counts per association, one a day, none when idle."""

from datetime import date

from entraide.kit.notifications import Channel, Notification
from entraide.matching.usecases.digest import send_digests

TODAY = date(2026, 12, 1)


class Fakes:
    def __init__(self) -> None:
        self.sent: list[Notification] = []

    async def count_in(self, scope, states):
        assert states == ["proposed"]
        return {"ppm": 3, "afev": 0}.get(scope.association_id, 0)

    async def due_kinds_in(self, scope, today):
        assert today == TODAY
        return {"1-month": 1, "rupture": 1} if scope.association_id == "ppm" else {}

    async def notify(self, notification: Notification) -> None:
        self.sent.append(notification)


async def test_one_digest_per_association_with_something_to_do() -> None:
    fakes = Fakes()
    recipients = {"ppm": "coordination@ppm.example.org", "afev": "coordination@afev.example.org"}
    asked = await send_digests(
        fakes, fakes, fakes, recipients, today=TODAY, link="http://127.0.0.1:8030/propositions"
    )  # type: ignore[arg-type]
    assert asked == 1  # AFEV has nothing today: no mail
    [digest] = fakes.sent
    assert digest.key == "synthese-coordination:ppm:2026-12-01"
    assert digest.channel is Channel.EMAIL
    assert digest.to == "coordination@ppm.example.org"
    assert digest.context == {
        "on": TODAY,
        "proposals": 3,
        "followups": 1,  # the rupture alert apart
        "alerts": 1,
        "link": "http://127.0.0.1:8030/propositions",
    }
