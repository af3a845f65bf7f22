"""The coordinators' daily digest: counts per association, one a day, none when idle; the
ongoing supports whose volunteer's honorability check expired or expires within 30 days
are counted too (as /suivis says on their cards), and are reason enough to write."""

from datetime import date

from entraide.kit.notifications import Channel, Notification
from entraide.kit.notifications.templates import Renderer
from entraide.matching.usecases.digest import send_digests

TODAY = date(2026, 12, 1)
LINK = "http://127.0.0.1:8030/propositions"


class Fakes:
    def __init__(self) -> None:
        self.sent: list[Notification] = []

    async def count_in(self, scope, states, supports=None):
        if supports is None:
            assert states == ["proposed"]
            return {"ppm": 3, "afev": 0}.get(scope.association_id, 0)
        assert states == ["accepted", "started"]
        held = {"volunteer:v-ppm": 2, "volunteer:v-unaf": 1}  # their ongoing supports
        return sum(held.get(key, 0) for key in supports if scope.association_id in key)

    async def due_kinds_in(self, scope, today):
        assert today == TODAY
        return {"1-month": 1, "rupture": 1} if scope.association_id == "ppm" else {}

    async def checks_due(self, association_id, by):
        assert by == date(2026, 12, 31)  # 30 days ahead
        return {"ppm": ["v-ppm"], "unaf": ["v-unaf"]}.get(association_id, [])

    async def notify(self, notification: Notification) -> None:
        self.sent.append(notification)


async def digests() -> list[Notification]:
    fakes = Fakes()
    recipients = {
        "ppm": "coordination@ppm.example.org",
        "afev": "coordination@afev.example.org",
        "unaf": "coordination@unaf.example.org",
    }
    asked = await send_digests(fakes, fakes, fakes, fakes, recipients, today=TODAY, link=LINK)  # type: ignore[arg-type]
    assert asked == len(fakes.sent)
    return fakes.sent


async def test_one_digest_per_association_with_something_to_do() -> None:
    ppm, unaf = await digests()  # AFEV has nothing today: no mail
    assert ppm.key == "synthese-coordination:ppm:2026-12-01"
    assert ppm.channel is Channel.EMAIL
    assert ppm.to == "coordination@ppm.example.org"
    assert ppm.context == {
        "on": TODAY,
        "proposals": 3,
        "followups": 1,  # the rupture alert apart
        "alerts": 1,
        "checks": 2,
        "link": LINK,
    }
    assert unaf.context["checks"] == 1  # only a check to renew: still written


async def test_the_digest_says_the_supports_whose_check_needs_renewing() -> None:
    ppm, unaf = await digests()
    said = Renderer().render(ppm.template, ppm.channel, ppm.context).text
    assert (
        "- 2 accompagnements dont l'attestation d'honorabilité du bénévole a expiré ou "
        "expire dans les 30 jours" in said
    )
    quiet = Renderer().render(unaf.template, unaf.channel, unaf.context | {"checks": 0}).text
    assert "honorabilité" not in quiet
