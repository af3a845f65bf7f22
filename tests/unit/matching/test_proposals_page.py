"""The coordinators' queue of proposals (/propositions): proposals of the same family
profile read apart (the request's day and short reference), the proposing line reads once
(« Proposée automatiquement le … »), and a proposal of an association's action offers no
refusal reason about a volunteer, nor takes one."""

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi import FastAPI, HTTPException
from starlette.requests import Request

from entraide.contracts import parse_event
from entraide.kit.deps import provide
from entraide.kit.principal import Principal
from entraide.kit.settings import ServiceSettings
from entraide.kit.signin import AuthConfig
from entraide.kit.web import templates_for
from entraide.matching.domain import request_view
from entraide.matching.domain.paging import Page
from entraide.matching.entrypoints.http import api, labels, pages
from entraide.matching.entrypoints.http.names import Shown
from entraide.matching.usecases.engine import Engine as MatchingEngine
from entraide.matching.usecases.pool import SupportPool
from tests.unit.matching.factories import COORDINATOR, NOW, offer, volunteer
from tests.unit.matching.fakes import FakeMatches, FakeRequests, FakeSupports
from tests.unit.matching.test_engine_use_cases import submitted

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
    first = Shown(
        "Famille à Nantes (44000)", "enfants de 6 à 10 ans", None, "2026-11-20T10:00:00+00:00"
    )
    second = Shown(
        "Famille à Nantes (44000)", "enfants de 6 à 10 ans", None, "2026-11-27T23:30:00+00:00"
    )
    names = {  # the second family asked on the 28th, in Paris
        "m1": {"family": first, "support": Shown("Action « Sorties »", "Parrains par mille")},
        "m2": {"family": second, "support": Shown("Bénévole de Parrains par mille")},
    }
    context = {"labels": labels, "request": None, "principal": COORDINATOR, "csrf": "t"}
    context |= {"proposals": found, "names": names, "can_decide": True, "listed": Page(found, 2)}
    template = templates_for("entraide.matching").env.get_template("propositions.html")
    return template.render(context)


def test_two_proposals_for_alike_families_have_different_headings() -> None:
    headings = re.findall(r"<h2[^>]*>(.*?)</h2>", rendered(), re.S)
    assert len(headings) == 2
    first, second = (re.sub(r"<[^>]+>", "", h) for h in headings)
    assert first.startswith("Famille à Nantes (44000), demande du 20/11/2026 (réf. a1b2 c3d4)")
    assert second.startswith("Famille à Nantes (44000), demande du 28/11/2026 (réf. 0f9e 8d7c)")
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


def test_an_action_with_no_place_left_is_a_reason_for_an_action_only() -> None:
    offer, volunteer = re.findall(r'<select[^>]*name="motif".*?</select>', rendered(), re.S)
    assert '<option value="action-full">L&#39;action n&#39;a plus de place disponible<' in offer
    assert "action-full" not in volunteer


class Decided:
    """The matches store's documents, as the routes read them (`listings.match`)."""

    def __init__(self, matches: FakeMatches) -> None:
        self.matches = matches

    async def match(self, match_id: str) -> dict[str, Any]:
        m = self.matches.matches[match_id]
        return {"_id": match_id, **{k: getattr(m, k) for k in SCOPED}}


SCOPED = ("request_id", "support_key", "association_id", "departement")
AFEV = COORDINATOR.model_copy(update={"subject": "c2", "association_id": "afev"})


async def proposed_to(support: Any) -> tuple[MatchingEngine, FakeMatches, str]:
    """A school-help request proposed to `support` by an engine on fakes."""
    requests, matches = FakeRequests(), FakeMatches()
    engine = MatchingEngine(
        requests, matches, SupportPool(FakeSupports(support), matches), clock=lambda: NOW
    )
    event = submitted(needs=["accompagnement-scolaire"], association_id="afev")
    view = {"_id": event.request_id, **request_view(event, event_id="e-1")}
    requests.add(view)
    match = await engine.place(event.request_id, view=view, first_seen=True)
    assert match is not None
    return engine, matches, match.match_id


async def test_the_api_declines_an_actions_proposal_as_full_and_records_why() -> None:
    engine, matches, match_id = await proposed_to(offer(key="offer:off-school1"))
    body = api.Decision(decision="decline", reason="action-full")
    said = await api.decide(match_id, body, AFEV, Decided(matches), engine)  # type: ignore[arg-type]
    assert said["state"] == "declined"
    [declined] = [e for e in matches.entries if "declined" in parse_event(e["value"]).type]
    assert parse_event(declined["value"]).data.reason_code == "action-full"


async def test_the_api_refuses_full_as_a_reason_for_a_volunteer() -> None:
    engine, matches, match_id = await proposed_to(
        volunteer(
            key="volunteer:vol-school1",
            association_id="afev",
            needs=frozenset({"accompagnement-scolaire"}),
        )
    )
    body = api.Decision(decision="decline", reason="action-full")
    with pytest.raises(HTTPException) as refused:
        await api.decide(match_id, body, AFEV, Decided(matches), engine)  # type: ignore[arg-type]
    assert refused.value.status_code == 422
    assert "declined" not in matches.event_types()


class Accepting:
    """The listings and engine an acceptance goes through: the match as stored."""

    def __init__(self, support_key: str) -> None:
        self.support_key = support_key
        self.accepted: list[str] = []

    async def match(self, match_id: str) -> dict[str, Any]:
        return proposal(match_id, "a1b2c3d4e5f6", self.support_key)

    async def accept(self, match_id: str) -> None:
        self.accepted.append(match_id)


def matching() -> FastAPI:
    """An app with what the pages' outcome messages are signed with (`kit.flash`)."""
    app = FastAPI()
    settings = ServiceSettings(port=8040, database="matching")
    provide(app, AuthConfig(settings, verifier=None, templates=None))  # type: ignore[arg-type]
    return app


APP = matching()


def viewed(query: str, viewer: Principal | None = COORDINATOR) -> list[dict[str, str]]:
    """The flashes /propositions shows at `?query` to `viewer` (signed in)."""
    scope = {"type": "http", "method": "GET", "headers": [], "query_string": query.encode()}
    scope |= {"app": APP, "state": {"principal": viewer} if viewer else {}}
    return list(pages.common(Request(scope))["flashes"])


async def accepted_query(support_key: str) -> str:
    """The queue's address after a coordinator accepts a proposal of this support."""

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    headers = [(b"content-type", b"application/x-www-form-urlencoded")]
    posted = Request({"type": "http", "method": "POST", "headers": headers, "app": APP}, receive)
    accepting = Accepting(support_key)
    fakes: Any = (accepting, accepting, Errors())
    redirect = await pages.decide(posted, "m1", "accepter", COORDINATOR, *fakes)
    assert accepting.accepted == ["m1"]
    path, _, query = redirect.headers["location"].partition("?")
    assert path == "/propositions"
    return query


async def said_once_accepted(support_key: str) -> str:
    """What the queue says after a coordinator accepts a proposal of this support."""
    [flash] = viewed(await accepted_query(support_key))
    return str(flash["text"])


async def test_accepting_an_actions_proposal_says_whose_action_it_is() -> None:
    said = await said_once_accepted("offer:o1")
    assert said == (
        "Proposition acceptée : prenez contact avec la famille ; "
        "l'action est celle de Parrains Par Mille."
    )
    assert "bénévole" not in said


async def test_accepting_a_volunteers_proposal_says_to_contact_the_volunteer() -> None:
    said = await said_once_accepted("volunteer:v1")
    assert said == "Proposition acceptée : prenez contact avec la famille et le bénévole."


@pytest.mark.parametrize(
    "query", ["ok=acceptee", "ok=acceptee-action&association=parrains-par-mille", "ok=close"]
)
def test_a_crafted_link_to_the_queue_says_nothing_was_done(query: str) -> None:
    assert viewed(query) == []


async def test_an_acceptance_is_said_to_the_coordinator_who_made_it_only() -> None:
    query = await accepted_query("volunteer:v1")
    colleague = COORDINATOR.model_copy(update={"subject": "c2"})
    assert viewed(query, colleague) == []  # the link sent on: nothing said
    assert viewed(query, None) == []
    assert len(viewed(query)) == 1
