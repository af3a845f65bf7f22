"""The coordinators' lists a page at a time (/propositions, /attente, /suivis and the API):
before, each read every proposal, waiting family or active match of the viewer's scope (a
network coordinator's: a whole territory or all of France) and named them all; now the
store counts and pages, and only the page's documents are named or weighed."""

import re
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl

import pytest
from fastapi import HTTPException
from starlette.requests import Request

from entraide.kit.web import templates_for
from entraide.matching.adapters.paging import paged
from entraide.matching.domain.paging import Asked, Page, mark_of, number_of, within
from entraide.matching.entrypoints.http import api, cursor, followup_pages, labels, pages
from entraide.matching.entrypoints.http.names import Shown
from tests.page_text import text_of
from tests.unit.matching.factories import COORDINATOR
from tests.unit.matching.test_proposals_page import APP, Accepting, proposal, viewed

START = datetime(2026, 11, 1, 8, tzinfo=UTC)
TODAY = date(2026, 12, 1)


def proposals(n: int = 45) -> list[dict[str, Any]]:
    """`n` proposals, two at each moment (the `_id` orders those)."""
    found = []
    for i in range(n):
        doc = proposal(f"m{i:02d}", f"r{i:02d}", "volunteer:v1")
        found.append(doc | {"proposed_at": START + timedelta(hours=i // 2)})
    return found


def in_memory(docs: list[dict[str, Any]], by: str, asked: Asked) -> Page:
    """What the store does (`adapters.paging.paged`), over documents in memory."""
    ordered = sorted(docs, key=lambda d: (d[by], d["_id"]))
    if asked.after is not None:
        mark = (asked.after.at, asked.after.id)
        rest, number = [d for d in ordered if (d[by], d["_id"]) > mark], 1
    else:
        number = within(asked.number, len(ordered), asked.size)
        rest = ordered[(number - 1) * asked.size :]
    shown = rest[: asked.size]
    following = mark_of(shown[-1], by) if len(rest) > asked.size else None
    return Page(shown, len(ordered), number, asked.size, following)


class Listings:
    def __init__(self, docs: list[dict[str, Any]]) -> None:
        self.docs = docs

    async def proposals(self, principal: Any, asked: Asked) -> Page:
        return in_memory(self.docs, "proposed_at", asked)

    async def waiting(self, principal: Any, asked: Asked) -> Page:
        waiting = [{"_id": d["request_id"], "since": d["proposed_at"]} for d in self.docs]
        return in_memory(waiting, "since", asked)

    async def active(self, principal: Any, asked: Asked) -> Page:
        schedules = [
            d | {"followup": {"items": [{"kind": "1-month", "at": START, "on": "2026-11-30"}]}}
            for d in self.docs
        ]
        return in_memory([d | {"state": "started"} for d in schedules], "proposed_at", asked)

    async def due_count(self, principal: Any, today: date) -> int:
        return len(self.docs)

    async def ended(self, principal: Any, since: Any, asked: Asked) -> Page:
        closed = {"state": "closed", "outcome": "completed"}
        ended = [d | closed | {"closed_at": d["proposed_at"]} for d in self.docs]
        return in_memory(ended, "closed_at", asked)


class Names:
    """Names what it is asked to, and counts it."""

    def __init__(self) -> None:
        self.named: list[str] = []

    async def of(self, principal: Any, matches: list[Any]) -> dict[str, Any]:
        self.named += [m["_id"] for m in matches]
        family = Shown("Famille à Nantes (44000)", "enfants de 6 à 10 ans")
        return {m["_id"]: {"family": family, "support": Shown("Bénévole")} for m in matches}

    async def supports(self, principal: Any, keys: set[str]) -> dict[str, Shown]:
        return {}


class Choices:
    """The waitlist's choices by hand: which families were weighed."""

    def __init__(self) -> None:
        self.weighed: list[str] = []

    async def choices(self, association_id: str, waiting: list[Any]) -> dict[str, Any]:
        self.weighed += [w["_id"] for w in waiting]
        return {}


class Schedules:
    def today(self) -> date:
        return TODAY


class Captured:
    def page(self, request: Any, name: str, principal: Any = None, **context: Any) -> Any:
        self.name, self.context = name, context

    def text(self) -> str:
        context = {"labels": labels, "request": None, "principal": COORDINATOR, "csrf": "t"}
        template = templates_for("entraide.matching").env.get_template(self.name)
        return template.render(context | self.context)


def request(query: str = "", path: str = "/api/v1/proposals") -> Request:
    scope = {"type": "http", "method": "GET", "headers": [], "path": path}
    return Request(scope | {"query_string": query.encode()})


def pager_links(page: str) -> dict[str, str]:
    """The pager's « Page précédente » and « Page suivante » and where they lead."""
    found = re.findall(r'<a class="fr-pagination__link[^"]*"([^>]*)>(Page [a-zé]+)</a>', page)
    return {text: (re.findall(r'href="([^"]*)"', attrs) or [""])[0] for attrs, text in found}


async def test_the_queue_shows_twenty_proposals_a_page_and_names_only_those() -> None:
    names, captured = Names(), Captured()
    fakes: Any = (Listings(proposals()), names, captured)
    await pages.proposals(None, COORDINATOR, *fakes, page="2")  # type: ignore[arg-type]
    page = captured.text()
    assert len(re.findall(r'<article class="fr-p-3w fr-mb-3w proposition"', page)) == 20
    assert names.named == [f"m{i:02d}" for i in range(20, 40)]  # the page's, in order
    assert "Propositions 21 à 40 sur 45, page 2 sur 3." in text_of(page)
    assert pager_links(page) == {"Page précédente": "?page=1", "Page suivante": "?page=3"}


async def test_the_last_page_of_the_queue_has_the_rest_and_no_next_page() -> None:
    names, captured = Names(), Captured()
    fakes: Any = (Listings(proposals()), names, captured)
    await pages.proposals(None, COORDINATOR, *fakes, page="7")  # type: ignore[arg-type]
    assert names.named == [f"m{i:02d}" for i in range(40, 45)]  # past the end: the last
    assert pager_links(captured.text()) == {"Page précédente": "?page=2", "Page suivante": ""}


def test_a_page_number_is_read_strictly() -> None:
    assert [number_of(x) for x in ("3", "0", "-1", "deux", "", None, "9" * 9)] == [3] + [1] * 6
    assert (within(3, 45, 20), within(4, 45, 20), within(1, 0, 20)) == (3, 3, 1)


async def test_the_waitlist_weighs_the_choices_of_its_page_only() -> None:
    names, choices, captured = Names(), Choices(), Captured()
    fakes: Any = (Listings(proposals()), choices, names, captured)
    await pages.waitlist(None, COORDINATOR, *fakes, page="3")  # type: ignore[arg-type]
    assert choices.weighed == [f"r{i:02d}" for i in range(40, 45)]
    assert "Familles 41 à 45 sur 45, page 3 sur 3." in text_of(captured.text())


async def test_the_follow_ups_name_their_page_only_and_count_what_is_due() -> None:
    names, captured = Names(), Captured()
    fakes: Any = (Listings(proposals()), Schedules(), names, captured)
    await followup_pages.follow_ups(None, COORDINATOR, *fakes)  # type: ignore[arg-type]
    assert names.named == [f"m{i:02d}" for i in range(20)] * 2  # the active, the ended
    said = text_of(captured.text())
    assert "45 accompagnements avec un suivi dû dans votre périmètre" in said
    assert "Accompagnements 1 à 20 sur 45, page 1 sur 3" in said
    assert len(captured.context["queue"]) == 20  # the page's due follow-ups, linked below


ENDED = re.compile(r'<section aria-labelledby="termines">(.*?)</section>', re.S)


async def test_the_ended_supports_are_paged_apart_from_the_active_ones() -> None:
    """« Terminés ces 30 derniers jours » showed the latest 50 and said nothing of the rest:
    it is paged by its own `termines`, each pager keeping the other list's page."""
    names, captured = Names(), Captured()
    fakes: Any = (Listings(proposals()), Schedules(), names, captured)
    await followup_pages.follow_ups(  # type: ignore[arg-type]
        None, COORDINATOR, *fakes, page="2", termines="3"
    )
    active, ended = [f"m{i:02d}" for i in range(20, 40)], [f"m{i:02d}" for i in range(40, 45)]
    assert names.named == active + ended  # each list's page only
    page = captured.text()
    section = ENDED.search(page)
    assert section is not None
    assert "Terminés 41 à 45 sur 45, page 3 sur 3" in text_of(section.group(1))
    assert pager_links(section.group(1)) == {
        "Page précédente": "?page=2&amp;termines=2",
        "Page suivante": "",
    }
    active_pager = page[: section.start()]
    assert pager_links(active_pager) == {
        "Page précédente": "?termines=3&amp;page=1",
        "Page suivante": "?termines=3&amp;page=3",
    }


@pytest.mark.parametrize(
    ("path", "items", "key", "ids"),
    [("/api/v1/proposals", "proposals", "match_id", "m"), ("/api/v1/waitlist", "waiting", "request_id", "r")],
)  # fmt: skip
async def test_the_api_pages_by_cursor_with_no_duplicate_and_no_gap(
    path: str, items: str, key: str, ids: str
) -> None:
    """Each list answers a page object, as directory's staff APIs do: its items, `total`,
    `limit`, the cursor `apres` and `next`, the following page's address (null on the
    last), instead of a bare list with `X-Total-Count` and `Link` headers."""
    listings: Any = Listings(proposals())
    listed = api.proposals if items == "proposals" else api.waitlist
    seen: list[str] = []
    address: str | None = f"{path}?limit=20"
    while address:
        at, _, query = address.partition("?")
        assert at == path
        asked = dict(parse_qsl(query))
        found = await listed(
            request(query, path), COORDINATOR, listings, int(asked["limit"]), asked.get("apres")
        )
        page = found.model_dump(mode="json")
        assert (page["total"], page["limit"]) == (45, 20)
        seen += [item[key] for item in page[items]]
        address = page["next"]
        assert (address is None) is (page["apres"] is None)
        assert address is None or dict(parse_qsl(address.partition("?")[2])) == {
            "limit": "20",
            "apres": page["apres"],
        }
    assert seen == [f"{ids}{i:02d}" for i in range(45)]


async def test_a_cursor_the_api_did_not_write_is_refused() -> None:
    listings: Any = Listings(proposals())
    written = cursor.encode(mark_of(proposals()[0], "proposed_at"))
    for wrong in ("nope", written[:-3] + "x{", "2¾\x041à", "Ω≈ç"):  # the fuzzer's, not ASCII
        with pytest.raises(HTTPException) as refused:
            await api.proposals(request(), COORDINATOR, listings, 20, wrong)
        assert refused.value.status_code == 422
        [said] = refused.value.detail  # the APIs' 422 shape, in French, naming the parameter
        assert said == {
            "field": "query.apres",
            "message": "Ce curseur n'est pas valide : reprenez depuis la première page.",
        }


class Found:
    """A store cursor that records how it was narrowed."""

    def __init__(self, docs: list[dict[str, Any]], calls: list[Any]) -> None:
        self.docs, self.calls = docs, calls

    def sort(self, keys: Any) -> "Found":
        self.calls.append(("sort", keys))
        return self

    def skip(self, n: int) -> "Found":
        self.calls.append(("skip", n))
        return self

    def limit(self, n: int) -> "Found":
        self.calls.append(("limit", n))
        return self

    async def to_list(self) -> list[dict[str, Any]]:
        return self.docs[: next(n for c, n in self.calls if c == "limit")]


class Collection:
    """Counts documents only by `count_documents`, and lets find read a page."""

    def __init__(self, docs: list[dict[str, Any]]) -> None:
        self.docs, self.calls = docs, []  # type: list[dict[str, Any]], list[Any]

    async def count_documents(self, query: dict[str, Any]) -> int:
        self.calls.append(("count", query))
        return 45

    def find(self, query: dict[str, Any], shown: dict[str, Any]) -> Found:
        self.calls.append(("find", query))
        return Found(self.docs, self.calls)


async def test_the_store_counts_in_the_index_and_reads_one_page_and_one_more() -> None:
    collection = Collection(proposals()[20:])
    found = await paged(collection, {"state": "proposed"}, "proposed_at", {}, Asked(2))  # type: ignore[arg-type]
    assert collection.calls == [
        ("count", {"state": "proposed"}),
        ("find", {"state": "proposed"}),
        ("sort", [("proposed_at", 1), ("_id", 1)]),
        ("skip", 20),
        ("limit", 21),
    ]
    assert [d["_id"] for d in found.docs] == [f"m{i:02d}" for i in range(20, 40)]
    assert (found.total, found.number, found.pages) == (45, 2, 3)
    assert found.next == mark_of(found.docs[-1], "proposed_at")


async def test_a_decision_comes_back_to_the_page_it_was_made_on() -> None:
    """Before, a coordinator answering on page 3 of the queue came back to page 1."""
    names, captured = Names(), Captured()
    fakes: Any = (Listings(proposals()), names, captured)
    await pages.proposals(None, COORDINATOR, *fakes, page="3")  # type: ignore[arg-type]
    forms = re.findall(
        r'<form method="post" action="/propositions/.*?</form>', captured.text(), re.S
    )
    assert len(forms) == 10  # accept and decline, five proposals
    assert all('<input type="hidden" name="page" value="3">' in f for f in forms)

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"page=3", "more_body": False}

    headers = [(b"content-type", b"application/x-www-form-urlencoded")]
    posted = Request({"type": "http", "method": "POST", "headers": headers, "app": APP}, receive)
    accepting = Accepting("volunteer:v1")
    decided: Any = (accepting, accepting, None)
    redirect = await pages.decide(posted, "m1", "accepter", COORDINATOR, *decided)
    path, _, query = redirect.headers["location"].partition("?")
    assert path == "/propositions"
    assert query.startswith("page=3&")
    assert len(viewed(query)) == 1  # and says what was done
