"""The coordinators' follow-ups (/suivis): an action's match says which action and whose;
the one-month follow-up cannot be noted the day the match starts (it would clear the item
and its due day would vanish), only from a week before it is due, and the page says from
when; closing asks for an outcome, none chosen beforehand."""

import re
from datetime import UTC, date, datetime
from typing import Any

from starlette.requests import Request

from entraide.kit.web import templates_for
from entraide.matching.domain import followups as rules
from entraide.matching.domain.paging import Asked, Page
from entraide.matching.entrypoints.http import followup_pages, labels
from entraide.matching.entrypoints.http.names import Shown
from tests.unit.matching.factories import COORDINATOR

STARTED = datetime(2026, 12, 1, 9, tzinfo=UTC)  # due: 01/01 (one month), 01/03 (three)


def test_a_dated_follow_up_opens_a_week_before_its_due_day() -> None:
    assert rules.recordable(STARTED, [], STARTED.date()) == []
    assert rules.recordable(STARTED, [], date(2026, 12, 24)) == []
    assert rules.recordable(STARTED, [], date(2026, 12, 25)) == ["1-month"]
    assert rules.recordable(STARTED, ["1-month"], date(2026, 12, 25)) == []
    assert rules.recordable(STARTED, [], date(2027, 3, 1)) == ["1-month", "3-month"]
    assert rules.recordable(STARTED, ["3-month"], date(2027, 3, 1)) == []
    assert rules.recordable(None, [], date(2027, 3, 1)) == []
    assert rules.next_opening(STARTED, [], STARTED.date()) == ("1-month", date(2026, 12, 25))
    assert rules.next_opening(STARTED, ["1-month"], date(2026, 12, 25)) == (
        "3-month",
        date(2027, 2, 22),
    )


def started_match(support_key: str = "offer:o1") -> dict[str, Any]:
    return {
        "_id": "m1", "request_id": "a1b2c3d4e5f6", "family_ref": "fam",
        "support_key": support_key, "association_id": "parrains-par-mille",
        "departement": "44", "state": "started", "needs": ["repit"],
        "accepted_at": STARTED, "started_at": STARTED, "check_ins": [],
    }  # fmt: skip


class Listings:
    async def active(self, principal: Any, asked: Asked) -> Page:
        return Page([started_match() | {"followup": {}}], 1)

    async def due_count(self, principal: Any, today: date) -> int:
        return 0

    async def ended(self, principal: Any, since: Any, asked: Asked) -> Page:
        return Page([], 0)

    async def match(self, match_id: str) -> dict[str, Any]:
        return started_match()


class Schedules:
    def today(self) -> date:
        return STARTED.date()  # the day the match started


class Names:
    async def of(self, principal: Any, matches: list[Any]) -> dict[str, Any]:
        family = Shown("Famille à Nantes (44000)", "enfants de 6 à 10 ans")
        action = Shown("Action « Sorties du mercredi »", "Parrains par mille", "/offres/o1")
        return {m["_id"]: {"family": family, "support": action} for m in matches}


class Captured:
    status = 200

    def page(self, request: Any, name: str, principal: Any = None, **context: Any) -> Any:
        self.name, self.context = name, context

    def error(self, request: Any, principal: Any, status: int, *args: Any, **kw: Any) -> Any:
        self.status, self.said = status, args


async def rendered() -> str:
    captured = Captured()
    fakes: Any = (Listings(), Schedules(), Names(), captured)
    await followup_pages.follow_ups(None, COORDINATOR, *fakes)  # type: ignore[arg-type]
    context = {"labels": labels, "request": None, "principal": COORDINATOR, "csrf": "t"}
    template = templates_for("entraide.matching").env.get_template(captured.name)
    return template.render(context | captured.context)


async def test_an_actions_match_says_which_action_and_whose() -> None:
    page = await rendered()
    assert "Action « Sorties du mercredi » : Parrains par mille" in page


async def test_the_day_it_starts_the_one_month_follow_up_is_not_offered_but_announced() -> None:
    page = await rendered()
    kinds = re.search(r'<select[^>]*name="type"[^>]*>(.*?)</select>', page, re.S)
    assert kinds is not None
    assert re.findall(r'value="([^"]*)"', kinds.group(1)) == ["other"]
    assert "Suivi à un mois : à noter à partir du 25/12/2026." in page


async def test_closing_asks_for_an_outcome_with_none_chosen() -> None:
    page = await rendered()
    select = re.search(r'<select([^>]*name="issue"[^>]*)>(.*?)</select>', page, re.S)
    assert select is not None
    assert "required" in select.group(1)
    options = re.findall(r"<option([^>]*)>", select.group(2))
    assert 'value=""' in options[0]
    assert "selected" in options[0]
    assert not any("selected" in o for o in options[1:])
    assert "ended-by-volunteer" not in select.group(2)  # an action has no volunteer


class Engine:
    """The engine's rule on the day the match started (tests/unit/matching/test_followups)."""

    async def check_in(self, match_id: str, kind: str) -> None:
        rules.check_open(kind, STARTED, [], STARTED.date())


async def test_the_one_month_follow_up_noted_the_day_it_starts_is_refused() -> None:
    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"type=1-month", "more_body": False}

    headers = [(b"content-type", b"application/x-www-form-urlencoded")]
    request = Request({"type": "http", "method": "POST", "headers": headers}, receive)
    captured = Captured()
    fakes: Any = (Listings(), Engine(), captured)
    await followup_pages.follow_up(request, "m1", "suivi", COORDINATOR, *fakes)
    assert captured.status == 422
    assert captured.said == (
        "Suivi pas encore dû",
        "Suivi à un mois : il se note à partir du 25/12/2026, une semaine avant son échéance.",
    )
