"""The coordinators' queue of proposals (/propositions): proposals of the same family
profile read apart (the request's day and short reference), the proposing line reads once
(« Proposée automatiquement le … »), and a proposal of an association's action offers no
refusal reason about a volunteer, nor takes one."""

import re
from datetime import UTC, datetime, timedelta
from typing import Any

from starlette.requests import Request

from entraide.kit.web import templates_for
from entraide.matching.entrypoints.http import labels, pages
from entraide.matching.entrypoints.http.names import Shown
from tests.unit.matching.factories import COORDINATOR

PROPOSED = datetime(2026, 11, 30, 23, 13, tzinfo=UTC)  # 1 December, 0 h 13 in Paris


def proposal(match_id: str, request_id: str, support_key: str) -> dict[str, Any]:
    return {
        "_id": match_id, "request_id": request_id, "family_ref": "fam", "support_key": support_key,
        "association_id": "parrains-par-mille", "departement": "44", "state": "proposed",
        "needs": ["parrainage-de-proximite", "repit"], "urgency": "medium", "score": 0.8,
        "breakdown": {}, "reasons": ["proche"], "proposed_by": "batch",
        "proposed_at": PROPOSED, "expires_at": PROPOSED + timedelta(days=5),
    }  # fmt: skip


def rendered() -> str:
    found = [
        proposal("m1", "a1b2c3d4e5f6", "offer:o1"),
        proposal("m2", "0f9e8d7c6b5a", "volunteer:v1"),
    ]
    first = Shown("Famille à 44000", "enfants de 6-10 ans", None, "2026-11-20T10:00:00+00:00")
    second = Shown("Famille à 44000", "enfants de 6-10 ans", None, "2026-11-27T23:30:00+00:00")
    names = {  # the second family asked on the 28th, in Paris
        "m1": {"family": first, "support": Shown("Action « Sorties »", "Parrains par mille")},
        "m2": {"family": second, "support": Shown("Bénévole de Parrains par mille")},
    }
    context = {"labels": labels, "request": None, "principal": COORDINATOR, "csrf": "t"}
    context |= {"proposals": found, "names": names, "can_decide": True}
    template = templates_for("entraide.matching").env.get_template("propositions.html")
    return template.render(context)


def test_two_proposals_for_alike_families_have_different_headings() -> None:
    headings = re.findall(r"<h2[^>]*>(.*?)</h2>", rendered(), re.S)
    assert len(headings) == 2
    first, second = (re.sub(r"<[^>]+>", "", h) for h in headings)
    assert first.startswith("Famille à 44000, demande du 20/11/2026 (réf. a1b2 c3d4)")
    assert second.startswith("Famille à 44000, demande du 28/11/2026 (réf. 0f9e 8d7c)")
    assert "<code>a1b2 c3d4</code>" in headings[0]


def test_the_proposing_line_has_one_pair_of_brackets() -> None:
    line = re.search(r'<p class="fr-hint-text">Proposée (.*?)</p>', rendered(), re.S)
    assert line is not None
    said = line.group(1).replace("\u00a0", " ")
    assert said.startswith("automatiquement le 01/12/2026 à 0 h 13 (heure de Paris), expire le")
    assert ") (" not in said


def test_an_actions_proposal_offers_no_reason_about_a_volunteer() -> None:
    page = rendered()
    offer, volunteer = re.findall(r'<select[^>]*name="motif".*?</select>', page, re.S)
    assert "volunteer-unavailable" not in offer
    assert "Trop loin en pratique" in offer
    assert "volunteer-unavailable" in volunteer


class Engine:
    def __init__(self) -> None:
        self.declined: list[str] = []

    async def decline(self, match_id: str, reason: str) -> None:
        self.declined.append(reason)


class Listings:
    async def match(self, match_id: str) -> dict[str, Any]:
        return proposal(match_id, "a1b2c3d4e5f6", "offer:o1")


class Errors:
    status = 0

    def error(self, request: Any, principal: Any, status: int, *args: Any, **kw: Any) -> Any:
        self.status = status
        return status


async def test_a_volunteer_reason_for_an_actions_proposal_is_refused() -> None:
    body = b"motif=volunteer-unavailable"

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": body, "more_body": False}

    headers = [(b"content-type", b"application/x-www-form-urlencoded")]
    request = Request({"type": "http", "method": "POST", "headers": headers}, receive)
    engine, errors = Engine(), Errors()
    fakes: Any = (Listings(), engine, errors)
    await pages.decide(request, "m1", "decliner", COORDINATOR, *fakes)
    assert errors.status == 422
    assert engine.declined == []
