"""A request's open episode: the little the observatory must remember between a request's
events to measure durations (request → first proposal → acceptance → start) and waits.

It is transient and personal (it names the family's reference, so erasure reaches it):
kept in the observatory's own store only while the request is open, deleted when its
match closes or the request is withdrawn. The facts it yields are anonymous.
"""

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from entraide.contracts.events import (
    EventData,
    MatchAccepted,
    MatchCheckedIn,
    MatchClosed,
    MatchDeclined,
    MatchEvent,
    MatchExpired,
    MatchProposed,
    MatchStarted,
    MatchWaitlisted,
    RequestState,
    RequestSubmitted,
    RequestUpdated,
    RequestWithdrawn,
)
from entraide.contracts.followups import FOLLOW_UPS, months_after
from entraide.contracts.vocab import Urgency
from entraide.observatory.domain.facts import Fact, FactKind, days_between, month_of

SEVERAL_SIGNS = frozenset({Urgency.HIGH, Urgency.CRITICAL})
# a dated follow-up is on time if noted within a week of its due day (contracts.followups)
SLACK = timedelta(weeks=1)
REMEMBERED_EVENTS = 64  # event ids kept per episode, so a redelivery counts nothing twice


@dataclass(frozen=True)
class Episode:
    """What is remembered of an open request."""

    request_id: str
    family_ref: str
    departement: str
    association: str
    needs: tuple[str, ...]
    urgency: str
    channel: str
    situations: tuple[str, ...] = ()  # the signs noted, as codes
    submitted_at: datetime | None = None
    proposed_at: datetime | None = None
    accepted_at: datetime | None = None
    started_at: datetime | None = None
    waitlisted_at: datetime | None = None
    waitlist_reason: str = ""
    seen: tuple[str, ...] = field(default=())

    def fact(
        self,
        kind: FactKind,
        at: datetime,
        *,
        reason: str = "",
        outcome: str = "",
        days: float | None = None,
        flag: bool = False,
    ) -> Fact:
        """An anonymous fact about this request: its attributes, never its references."""
        return Fact(
            kind=kind,
            month=month_of(at),
            departement=self.departement,
            association=self.association,
            needs=self.needs,
            urgency=self.urgency,
            channel=self.channel,
            signs=self.urgency != Urgency.LOW,
            several_signs=self.urgency in SEVERAL_SIGNS,
            situations=self.situations,
            reason=reason,
            outcome=outcome,
            days=days,
            flag=flag,
        )


@dataclass(frozen=True)
class Step:
    """An event's effect: the episode after it (None: forget it) and the facts it yields."""

    episode: Episode | None
    facts: tuple[Fact, ...] = ()


def request_of(event: EventData) -> str | None:
    """The request an event is about, None for events that are not about a request."""
    if isinstance(event, RequestState | RequestWithdrawn | MatchEvent | MatchWaitlisted):
        return event.request_id
    return None


def step(episode: Episode | None, event_id: str, event: EventData) -> Step:
    """Apply one request or match event; an event already seen changes nothing."""
    if episode is not None and event_id in episode.seen:
        return Step(episode)
    after = _apply(episode, event)
    if after.episode is not None:
        seen = (*after.episode.seen, event_id)[-REMEMBERED_EVENTS:]
        after = Step(replace(after.episode, seen=seen), after.facts)
    return after


def _opened(state: RequestState, submitted_at: datetime | None) -> Episode:
    return Episode(
        request_id=state.request_id,
        family_ref=state.family_ref,
        departement=state.departement,
        association=state.association_id or "",
        needs=tuple(sorted(state.needs)),
        urgency=state.urgency.value,
        channel=state.channel.value,
        situations=tuple(sorted(str(sign) for sign in state.signs)),
        submitted_at=submitted_at,
    )


def _apply(episode: Episode | None, event: EventData) -> Step:
    if isinstance(event, RequestSubmitted):
        if episode is not None:  # a second submission of the same request: nothing new
            return Step(episode)
        opened = _opened(event, event.submitted_at)
        return Step(opened, (opened.fact(FactKind.REQUEST, event.submitted_at),))
    if isinstance(event, RequestUpdated):
        known = _opened(event, episode.submitted_at if episode else None)
        if episode is None:  # submitted before the observatory listened
            return Step(known)
        return Step(_attributes(episode, known))
    if episode is None:  # a request the observatory never saw open (or already closed)
        return Step(None)
    return _lifecycle(episode, event)


def _attributes(episode: Episode, known: Episode) -> Episode:
    """The episode with the request's attributes as last updated."""
    return replace(
        episode,
        departement=known.departement,
        association=known.association,
        needs=known.needs,
        urgency=known.urgency,
        channel=known.channel,
        situations=known.situations,
    )


def _lifecycle(e: Episode, event: EventData) -> Step:
    if isinstance(event, RequestWithdrawn):
        facts = [e.fact(FactKind.WITHDRAWN, event.withdrawn_at, reason=event.reason.value)]
        facts += _stop_waiting(e, event.withdrawn_at)
        return Step(None, tuple(facts))
    if isinstance(event, MatchWaitlisted):
        if e.waitlisted_at is not None:  # still waiting, maybe for another rule
            return Step(replace(e, waitlist_reason=event.reason_code))
        fact = e.fact(FactKind.WAITLISTED, event.waitlisted_at, reason=event.reason_code)
        waiting = replace(e, waitlisted_at=event.waitlisted_at, waitlist_reason=event.reason_code)
        return Step(waiting, (fact,))
    if isinstance(event, MatchProposed):
        return _proposed(e, event)
    if isinstance(event, MatchAccepted) and e.accepted_at is None:
        days = days_between(e.submitted_at, event.accepted_at)
        fact = e.fact(FactKind.ACCEPTED, event.accepted_at, days=days)
        return Step(replace(e, accepted_at=event.accepted_at), (fact,))
    if isinstance(event, MatchStarted) and e.started_at is None:
        fact = e.fact(
            FactKind.STARTED, event.started_at, days=days_between(e.submitted_at, event.started_at)
        )
        return Step(replace(e, started_at=event.started_at), (fact,))
    if isinstance(event, MatchDeclined):
        return Step(e, (e.fact(FactKind.DECLINED, event.declined_at, reason=event.reason_code),))
    if isinstance(event, MatchExpired):
        return Step(e, (e.fact(FactKind.EXPIRED, event.expired_at),))
    if isinstance(event, MatchCheckedIn):
        days = days_between(e.started_at, event.checked_in_at)
        on_time = days is not None and on_time_for(event.kind, e.started_at, event.checked_in_at)
        fact = e.fact(
            FactKind.CHECKED_IN, event.checked_in_at, reason=event.kind, days=days, flag=on_time
        )
        return Step(e, (fact,))
    if isinstance(event, MatchClosed):
        days = days_between(e.started_at, event.closed_at)
        fact = e.fact(FactKind.CLOSED, event.closed_at, outcome=event.outcome.value, days=days)
        return Step(None, (fact,))
    return Step(e)


def on_time_for(kind: str, started_at: datetime | None, noted_at: datetime) -> bool:
    """Noted by a week after its due day (a kind with no date: always on time)."""
    months = dict(FOLLOW_UPS).get(kind)
    if months is None or started_at is None:
        return True
    return noted_at <= months_after(started_at, months) + SLACK


def _proposed(e: Episode, event: MatchProposed) -> Step:
    """The first proposal is timed; any proposal ends a wait (after a decline too)."""
    at, facts = event.proposed_at, _stop_waiting(e, event.proposed_at)
    if e.proposed_at is None:
        facts.insert(0, e.fact(FactKind.PROPOSED, at, days=days_between(e.submitted_at, at)))
    return Step(replace(e, proposed_at=e.proposed_at or at, waitlisted_at=None), tuple(facts))


def _stop_waiting(e: Episode, at: datetime) -> list[Fact]:
    if e.waitlisted_at is None:
        return []
    days = days_between(e.waitlisted_at, at)
    return [e.fact(FactKind.WAITED, at, reason=e.waitlist_reason, days=days)]
