"""In-memory implementations of matching's ports, for use-case tests without Kafka or a
store. Each call first yields to the other tasks (a round trip), then reads or writes
without awaiting anything, so a write is atomic as the store's single-document writes
are: two engines sharing one `FakeMatches` behave as two replicas sharing one database."""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from entraide.contracts import CloudEvent, parse_event
from entraide.kit.outbox import outbox_entry
from entraide.matching.domain.followups import Followed, Schedule
from entraide.matching.domain.lifecycle import ACTIVE, OPEN, State
from entraide.matching.domain.model import History, Match, Support, Waiting

Doc = dict[str, Any]
T = TypeVar("T")


async def round_trip() -> None:
    """What a store call costs the caller: other tasks run meanwhile."""
    await asyncio.sleep(0)


class FakeRequests:
    """The requests' read model: views by request id."""

    def __init__(self) -> None:
        self.views: dict[str, Doc] = {}

    def add(self, view: Doc) -> None:
        self.views[view["_id"]] = view

    async def get(self, request_id: str) -> Doc | None:
        return self.views.get(request_id)

    async def many(self, request_ids: list[str]) -> dict[str, Doc]:
        return {i: self.views[i] for i in request_ids if i in self.views}

    async def open_ids(self) -> set[str]:
        return {
            i
            for i, v in self.views.items()
            if v.get("status") == "open" and v.get("consent_to_matching")
        }


class FakeMatches:
    """Matches, places, histories and the waitlist; `entries` are the events stored (the
    outbox), in order."""

    def __init__(self) -> None:
        self.matches: dict[str, Match] = {}
        self.places: dict[str, list[tuple[str, datetime]]] = {}
        self.histories: dict[str, History] = {}
        self.proposed_once: set[str] = set()
        self.waitlist: dict[str, Waiting] = {}
        self.entries: list[Doc] = []
        self.asked_at_once = 0  # the most requests one `done_among` was asked about

    def event_types(self) -> list[str]:
        return [parse_event(e["value"]).type.split(".")[3] for e in self.entries]

    async def take(self, key: str, capacity: int | None, match_id: str) -> bool:
        await round_trip()
        if capacity is None:
            return True
        taken = self.places.setdefault(key, [])
        if len(taken) >= capacity:
            return False
        taken.append((match_id, datetime.now(UTC)))
        return True

    async def take_many(self, takes: list[tuple[str, int | None, str]]) -> set[str]:
        await round_trip()
        got = set()
        for key, capacity, match_id in takes:  # one write, each update atomic
            taken = self.places.setdefault(key, []) if capacity is not None else []
            if capacity is None or len(taken) < capacity:
                taken.append((match_id, datetime.now(UTC)))
                got.add(match_id)
        return got

    async def give_back(self, key: str, match_id: str) -> None:
        await round_trip()
        self._give_back(key, match_id)

    def _give_back(self, key: str, match_id: str) -> None:
        self.places[key] = [t for t in self.places.get(key, []) if t[0] != match_id]

    async def heal(self, grace: timedelta) -> dict[str, int]:
        await round_trip()
        before = datetime.now(UTC) - grace
        still_open = {m.match_id for m in self._open()}
        for key, taken in self.places.items():
            self.places[key] = [t for t in taken if t[1] >= before or t[0] in still_open]
        return await self.held()

    async def held(self) -> dict[str, int]:
        await round_trip()
        return {key: len(taken) for key, taken in self.places.items()}

    async def propose(
        self, match: Match, event: CloudEvent[Any], leased: Doc | None = None
    ) -> bool:
        await round_trip()
        if any(m.request_id == match.request_id for m in self._open()):
            return False
        self.matches[match.match_id] = match
        if leased is None:  # else its writer publishes it
            self.entries.append(outbox_entry(event))
        return True

    async def propose_many(
        self, proposals: list[tuple[Match, CloudEvent[Any]]], leased: Doc | None = None
    ) -> set[str]:
        await round_trip()
        stored = set()
        for match, event in proposals:  # one write, each document's insert atomic
            if any(m.request_id == match.request_id for m in self._open()):
                continue
            self.matches[match.match_id] = match
            stored.add(match.match_id)
            if leased is None:
                self.entries.append(outbox_entry(event))
        return stored

    async def move(
        self, match: Match, to: str, at: datetime, event: CloudEvent[Any], **details: str
    ) -> bool:
        await round_trip()
        current = self.matches.get(match.match_id)
        if current is None or current.state != match.state:
            return False
        started_at = at if to == State.STARTED else current.started_at
        self.matches[match.match_id] = replace(
            current,
            state=to,
            outcome=details.get("outcome", current.outcome),
            started_at=started_at,
        )
        self.entries.append(outbox_entry(event))
        if State(to) not in OPEN:
            self._give_back(match.support_key, match.match_id)
        return True

    async def check_in(self, match: Match, kind: str, at: datetime, event: CloudEvent[Any]) -> bool:
        await round_trip()
        current = self.matches.get(match.match_id)
        if current is None or current.state != match.state:
            return False
        self.matches[match.match_id] = replace(current, check_ins=(*current.check_ins, kind))
        self.entries.append(outbox_entry(event))
        return True

    def _open(self) -> list[Match]:
        return [m for m in self.matches.values() if State(m.state) in OPEN]

    async def done_among(self, request_ids: list[str]) -> set[str]:
        await round_trip()
        self.asked_at_once = max(self.asked_at_once, len(request_ids))
        return {
            m.request_id
            for m in self.matches.values()
            if m.request_id in request_ids
            and (State(m.state) in OPEN or (m.state == "closed" and m.outcome == "completed"))
        }

    async def open_requests(self, request_ids: list[str]) -> set[str]:
        await round_trip()
        return {m.request_id for m in self._open()} & set(request_ids)

    async def get(self, match_id: str) -> Match | None:
        await round_trip()
        return self.matches.get(match_id)

    async def open_for_request(self, request_id: str) -> Match | None:
        await round_trip()
        return next((m for m in self._open() if m.request_id == request_id), None)

    async def open_for_support(self, key: str) -> list[Match]:
        await round_trip()
        return [m for m in self._open() if m.support_key == key]

    async def proposals_of(self, keys: list[str]) -> list[Match]:
        await round_trip()
        held = {match_id for key in keys for match_id, _ in self.places.get(key, [])}
        return [m for m in self.matches.values() if m.match_id in held and m.state == "proposed"]

    async def due_to_expire(self, now: datetime, limit: int = 500) -> list[Match]:
        await round_trip()
        due = [m for m in self.matches.values() if m.state == "proposed" and m.expires_at <= now]
        return due[:limit]

    async def history(self, request_id: str) -> History:
        await round_trip()
        return self.histories.get(request_id, History())

    async def histories_of(self, request_ids: list[str]) -> dict[str, History]:
        await round_trip()
        return {i: self.histories[i] for i in request_ids if i in self.histories}

    async def first_proposal(self, request_id: str) -> bool:
        await round_trip()
        first = request_id not in self.proposed_once
        self.proposed_once.add(request_id)
        return first

    async def first_proposals(self, request_ids: list[str]) -> set[str]:
        await round_trip()
        firsts = set(request_ids) - self.proposed_once
        self.proposed_once |= firsts
        return firsts

    async def remember(
        self, request_id: str, *, refused: str | None = None, known: str | None = None
    ) -> None:
        await round_trip()
        was = self.histories.get(request_id, History())
        self.histories[request_id] = History(
            was.refused | ({refused} if refused else set()),
            was.known | ({known} if known else set()),
        )

    async def wait(self, entry: Waiting) -> None:
        await round_trip()
        self.waitlist[entry.request_id] = entry

    async def unwait(self, request_id: str) -> None:
        await round_trip()
        self.waitlist.pop(request_id, None)

    async def wait_many(self, entries: list[Waiting]) -> None:
        await round_trip()
        self.waitlist |= {entry.request_id: entry for entry in entries}

    async def unwait_many(self, request_ids: list[str]) -> None:
        await round_trip()
        for request_id in request_ids:
            self.waitlist.pop(request_id, None)

    async def waiting_ids(self) -> set[str]:
        await round_trip()
        return set(self.waitlist)

    async def waiting_count(self) -> int:
        await round_trip()
        return len(self.waitlist)


class FakeSupports:
    """Volunteers and offers as their read models would give them."""

    def __init__(self, *supports: Support) -> None:
        self.supports = {s.key: s for s in supports}

    async def every(self, held: dict[str, int]) -> list[Support]:
        return [replace(s, load=held.get(s.key, 0)) for s in self.supports.values() if s.active]

    async def one(self, key: str, load: int) -> Support | None:
        support = self.supports.get(key)
        return replace(support, load=load) if support else None


class FakeOutbox:
    """The relay: what a writer published at once, and how often it was woken."""

    def __init__(self) -> None:
        self.published: list[CloudEvent[Any]] = []
        self.woken = 0

    def wake(self) -> None:
        self.woken += 1

    async def write_at_once(
        self, doc_id: Any, events: list[CloudEvent[Any]], write: Callable[[Doc], Awaitable[T]]
    ) -> T:
        written = await write({})  # published below: nothing left for the relay
        if written:
            self.published += events
        return written

    async def write_many_at_once(
        self,
        events_by_id: dict[str, list[CloudEvent[Any]]],
        write: Callable[[dict[str, Doc]], Awaitable[set[str]]],
    ) -> set[str]:
        written = await write({doc_id: {} for doc_id in events_by_id})
        self.published += [
            e for doc_id in events_by_id if doc_id in written for e in events_by_id[doc_id]
        ]
        return written


class FakeFollowUps:
    """The follow-ups port: the active matches' facts (`active`, set by the tests as the
    matches store would give them), the latest contact logged per family, the schedules."""

    def __init__(self) -> None:
        self.active: dict[str, Followed] = {}
        self.logged: dict[str, datetime] = {}
        self.stored: dict[str, Schedule] = {}
        self.saves = 0
        self.read = 0  # the most matches or schedules one call read

    async def followed(
        self, *, match_ids: list[str] | None = None, family_refs: list[str] | None = None
    ) -> list[Followed]:
        await round_trip()
        return [
            f
            for f in self.active.values()
            if State(f.state) in ACTIVE
            and (match_ids is None or f.match_id in match_ids)
            and (family_refs is None or f.family_ref in family_refs)
        ]

    async def note_contacts(self, logged: dict[str, datetime]) -> None:
        await round_trip()
        for ref, at in logged.items():
            self.logged[ref] = max(at, self.logged.get(ref, at))

    async def contacts(self, family_refs: list[str]) -> dict[str, datetime]:
        await round_trip()
        return {ref: self.logged[ref] for ref in family_refs if ref in self.logged}

    async def each_active(self, size: int) -> AsyncIterator[list[Followed]]:
        found = [f for f in self.active.values() if State(f.state) in ACTIVE]
        for n in range(0, len(found), size):
            await round_trip()
            self.read = max(self.read, len(found[n : n + size]))
            yield found[n : n + size]

    async def schedules_of(self, match_ids: list[str]) -> dict[str, Schedule]:
        await round_trip()
        self.read = max(self.read, len(match_ids))
        return {i: self.stored[i] for i in match_ids if i in self.stored}

    async def each_scheduled(self, size: int) -> AsyncIterator[list[str]]:
        found = list(self.stored)
        for n in range(0, len(found), size):
            await round_trip()
            yield found[n : n + size]

    async def still_followed(self, match_ids: list[str]) -> set[str]:
        await round_trip()
        self.read = max(self.read, len(match_ids))
        return {f.match_id for f in await self.followed(match_ids=match_ids)}

    async def save(self, schedules: list[Schedule]) -> None:
        await round_trip()
        self.saves += len(schedules)
        self.stored |= {s.followed.match_id: s for s in schedules}

    async def drop(self, match_ids: list[str]) -> None:
        await round_trip()
        for match_id in match_ids:
            self.stored.pop(match_id, None)
