"""A generated year of the network's activity, as the events that would flow: for tests,
the benchmark and demonstrations (nothing real: random references, seeded).

`year_of_activity(scale=1)` is the five territories' scale (about 5,000 requests, 2,000
volunteers, 300 offers); `scale=15` is about a million events, a national year. The
volunteers approved during the year also apply, are reviewed and some leave (their
applications' events); 600 more apply and are declined or still wait (their own seeded
generator: the other events stay as they were).
"""

import random
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

from entraide.contracts import new_event
from entraide.contracts.associations import NAMES
from entraide.contracts.envelope import CloudEvent
from entraide.contracts.events import (
    ApplicationStatus,
    ErasureRequested,
    EventData,
    MatchAccepted,
    MatchCheckedIn,
    MatchClosed,
    MatchDeclined,
    MatchExpired,
    MatchProposed,
    MatchStarted,
    MatchWaitlisted,
    OfferPublished,
    OfferUpdated,
    RequestSubmitted,
    RequestWithdrawn,
    VolunteerAvailability,
)
from entraide.contracts.labels import DECLINE_REASONS, WAITLIST_REASONS
from entraide.contracts.vocab import (
    ErasureReason,
    MatchOutcome,
    Need,
    RequestChannel,
    SituationSign,
    SubjectKind,
    Urgency,
    WithdrawalReason,
)
from entraide.observatory.adapters.simulated_applications import Applying, application, changed

TERRITORIES = {
    "75": 0.3,
    "93": 0.25,
    "59": 0.2,
    "44": 0.17,
    "58": 0.05,
    "69": 0.003,
    "13": 0.003,
    "33": 0.003,
}
POSTAL = {
    "75": "75011",
    "93": "93200",
    "59": "59000",
    "44": "44000",
    "58": "58000",
    "69": "69001",
    "13": "13001",
    "33": "33000",
}
URGENCIES = {Urgency.LOW: 0.35, Urgency.MEDIUM: 0.35, Urgency.HIGH: 0.22, Urgency.CRITICAL: 0.08}
ASSOCIATIONS = sorted(NAMES)
Event = CloudEvent[EventData]


def _pick(rng: random.Random, weights: dict[str, float] | dict[Urgency, float]) -> str:
    return str(rng.choices(list(weights), list(weights.values()))[0])


def _ref(rng: random.Random) -> str:
    return uuid.UUID(int=rng.getrandbits(128)).hex


def event(data: EventData, at: datetime, key: str) -> Event:
    made = new_event(data, source="/entraide/simulation", subject=key)
    return made.model_copy(update={"time": at})


def year_of_activity(year: int = 2026, *, scale: int = 1, seed: int = 18) -> list[Event]:
    """Every event of a year, in time order."""
    rng = random.Random(seed)
    start = datetime(year, 1, 1, 8, tzinfo=UTC)
    end = datetime(year + 1, 1, 1, tzinfo=UTC)
    events = [*offers(rng, start, 300 * scale), *volunteers(rng, start, 2000 * scale)]
    for _ in range(5000 * scale):
        at = start + timedelta(seconds=rng.uniform(0, (end - start).total_seconds() - 86400))
        events += [e for e in request_life(rng, at) if e.time < end]
    events += erasures(rng, start, 150 * scale)
    events += waiting_applicants(random.Random(seed + 1), start, 600 * scale)
    return sorted(events, key=lambda e: e.time)


def offers(rng: random.Random, start: datetime, n: int) -> Iterator[Event]:
    for _ in range(n):
        offer_id, dept = _ref(rng), _pick(rng, TERRITORIES)
        common = {
            "offer_id": offer_id,
            "association_id": rng.choice(ASSOCIATIONS),
            "nom": "Action simulée",
            "thematiques": ["famille"],
            "needs": rng.sample(list(Need), rng.randint(1, 2)),
            "departements": [dept],
            "capacity": rng.randint(2, 30),
        }
        for month in range(12):
            at = start.replace(month=month + 1) + timedelta(days=rng.randint(0, 20))
            if month == 0:
                yield event(OfferPublished(**common, revision=1, published_at=at), at, offer_id)
            else:
                yield event(OfferUpdated(**common, revision=month + 1, updated_at=at), at, offer_id)


def volunteers(rng: random.Random, start: datetime, n: int) -> Iterator[Event]:
    """Volunteers known all year (approved before it) or approved during it, from then on
    (their own generator: the year's other events stay as they were)."""
    for _ in range(n):
        ref, dept = _ref(rng), _pick(rng, TERRITORIES)
        association, needs = rng.choice(ASSOCIATIONS), rng.sample(list(Need), rng.randint(1, 3))
        checked = rng.random() > 0.05
        own = random.Random(ref)
        first = 0 if own.random() < 0.6 else own.randint(1, 11)  # the first month known
        approved = start.replace(month=first + 1)  # then the day of their first event
        if not first:
            approved -= timedelta(days=own.uniform(1, 200))  # the year before
        applied = approved - timedelta(days=own.uniform(3, 90))
        for month in range(12):
            at = start.replace(month=month + 1) + timedelta(days=rng.randint(0, 20))
            capacity, active = rng.randint(1, 3), rng.random() < 0.85
            if month < first:
                continue
            if month == first and first:
                approved = at
                if applied >= start:  # applied within the year: the observatory saw it
                    common = {"volunteer_ref": ref, "association_id": association}
                    who = Applying(**common, departement=dept, needs=needs, applied_at=applied)
                    own_rng = random.Random(f"{ref}-application")
                    for data, when in application(who, approved, own_rng):
                        yield event(data, when, ref)
            yield event(
                VolunteerAvailability(
                    volunteer_ref=ref,
                    association_id=association,
                    revision=month + 1,
                    departement=dept,
                    postal_code=POSTAL[dept],
                    needs=needs,
                    capacity=capacity,
                    active=active,
                    changed_at=at,
                    applied_at=applied,
                    approved_at=approved,
                    honorability_valid_until=date(start.year + 2, 1, 1) if checked else None,
                ),
                at,
                ref,
            )


def waiting_applicants(rng: random.Random, start: datetime, n: int) -> Iterator[Event]:
    """Applications never approved this year: declined (some after their check was
    asked), waiting for a review, or in review with their check pending."""
    for _ in range(n):
        dept = _pick(rng, TERRITORIES)
        applied = start + timedelta(days=rng.uniform(0, 330))
        who = Applying(
            _ref(rng), rng.choice(ASSOCIATIONS), dept, rng.sample(list(Need), 1), applied
        )
        yield event(*changed(who, 1, applied, ApplicationStatus.APPLIED, "none"), who.volunteer_ref)
        fate, later = rng.random(), applied + timedelta(days=rng.uniform(2, 30))
        if fate < 0.3:
            continue  # nobody has looked yet
        yield event(
            *changed(who, 2, later, ApplicationStatus.IN_REVIEW, "pending"), who.volunteer_ref
        )
        if fate < 0.6:
            continue  # its check still pending
        declined = later + timedelta(days=rng.uniform(1, 60))
        if declined < start.replace(year=start.year + 1):
            gone = changed(who, 3, declined, ApplicationStatus.DECLINED, "none")
            yield event(*gone, who.volunteer_ref)


def request_life(rng: random.Random, at: datetime) -> list[Event]:
    """A request's events: submitted, maybe waitlisted, proposed (declined, expired),
    accepted, started, checked in, closed; or withdrawn."""
    request_id, family = _ref(rng), _ref(rng)
    dept = _pick(rng, TERRITORIES)
    association = rng.choice(ASSOCIATIONS)
    submitted = RequestSubmitted(
        request_id=request_id,
        family_ref=family,
        revision=1,
        departement=dept,
        postal_code=POSTAL[dept],
        children_age_bands=["3-5"],
        needs=rng.sample(list(Need), rng.randint(1, 2)),
        urgency=(urgency := Urgency(_pick(rng, URGENCIES))),
        signs=signs_for(urgency, random.Random(request_id)),
        association_id=association,
        channel=rng.choice(list(RequestChannel)),
        consent_to_matching=True,
        submitted_at=at,
    )
    out = [event(submitted, at, family)]
    ids = {"request_id": request_id, "family_ref": family}
    if rng.random() < 0.25:
        at += timedelta(hours=rng.uniform(1, 48))
        reason = rng.choice(sorted(WAITLIST_REASONS))
        out.append(event(MatchWaitlisted(**ids, reason_code=reason, waitlisted_at=at), at, family))
        at += timedelta(days=rng.uniform(5, 60))
    if rng.random() < 0.1:
        reason = rng.choice(list(WithdrawalReason))
        gone = RequestWithdrawn(**ids, revision=2, reason=reason, withdrawn_at=at)
        return [*out, event(gone, at, family)]
    at += timedelta(days=rng.uniform(1, 20))
    while True:
        match = {**ids, "match_id": _ref(rng), "association_id": association}
        proposed = MatchProposed(
            **match, score=1.0, reasons=[], proposed_at=at, expires_at=at + timedelta(days=7)
        )
        out.append(event(proposed, at, family))
        at += timedelta(days=rng.uniform(0.5, 6))
        roll = rng.random()
        if roll < 0.15:
            reason = rng.choice(sorted(DECLINE_REASONS))
            out.append(
                event(MatchDeclined(**match, reason_code=reason, declined_at=at), at, family)
            )
        elif roll < 0.2:
            out.append(event(MatchExpired(**match, expired_at=at), at, family))
        else:
            break
        at += timedelta(days=rng.uniform(2, 10))
    out.append(event(MatchAccepted(**match, accepted_at=at), at, family))
    at += timedelta(days=rng.uniform(3, 14))
    out.append(event(MatchStarted(**match, started_at=at), at, family))
    started = at
    checked = started + timedelta(days=rng.uniform(25, 45))
    out.append(
        event(MatchCheckedIn(**match, checked_in_at=checked, kind="1-month"), checked, family)
    )
    at = started + timedelta(days=rng.uniform(60, 200))
    outcome = rng.choice(list(MatchOutcome))
    out.append(event(MatchClosed(**match, outcome=outcome, closed_at=at), at, family))
    return out


def signs_for(urgency: Urgency, rng: random.Random) -> list[SituationSign]:
    """Signs that give this urgency under intake's rule (its own generator)."""
    if urgency is Urgency.LOW:
        return []
    if urgency is Urgency.CRITICAL:
        return [SituationSign.CRISE, *rng.sample(list(SituationSign)[:6], rng.randint(0, 2))]
    if urgency is Urgency.HIGH:
        return [SituationSign.EPUISEMENT, SituationSign.SANS_RELAIS]
    return [rng.choice([s for s in SituationSign if s is not SituationSign.CRISE])]


def erasures(rng: random.Random, start: datetime, n: int) -> Iterator[Event]:
    for _ in range(n):
        at = start + timedelta(days=rng.uniform(0, 364))
        subject = _ref(rng)
        command = ErasureRequested(
            case_id=_ref(rng),
            subject_ref=subject,
            subject_kind=rng.choice(list(SubjectKind)),
            deadline=at + timedelta(days=30),
            reason=rng.choice(list(ErasureReason)),
        )
        yield event(command, at, subject)
