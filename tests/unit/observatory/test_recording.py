"""Recording: events in any order across topics, redelivered, resent: the same facts."""

import asyncio
from datetime import UTC, datetime, timedelta

from entraide.contracts.events import (
    ErasureRequested,
    MatchProposed,
    RequestSubmitted,
    VolunteerAvailability,
)
from entraide.observatory.adapters.memory import (
    MemoryApplicants,
    MemoryCountedCases,
    MemoryEpisodes,
    MemoryParked,
    MemoryPendingFacts,
    MemorySuppliers,
)
from entraide.observatory.domain.facts import FactKind
from entraide.observatory.usecases.record import Incoming, Recorder

T0 = datetime(2026, 5, 4, 10, tzinfo=UTC)


def recorder() -> tuple[Recorder, MemoryPendingFacts]:
    pending = MemoryPendingFacts()
    stores = (MemoryEpisodes(), MemorySuppliers(), pending, MemoryCountedCases(), MemoryParked())
    return Recorder(*stores, MemoryApplicants()), pending


def request() -> RequestSubmitted:
    return RequestSubmitted(
        request_id="request-0001",
        family_ref="family-0001",
        revision=1,
        departement="58",
        postal_code="58000",
        children_age_bands=["0-2"],
        needs=["ecoute", "repit-garde-ponctuelle"],
        urgency="critical",
        association_id="unaf",
        channel="partner",
        consent_to_matching=True,
        submitted_at=T0,
    )


def proposal() -> MatchProposed:
    at = T0 + timedelta(days=3)
    return MatchProposed(
        match_id="match-0001",
        request_id="request-0001",
        family_ref="family-0001",
        association_id="unaf",
        score=1,
        reasons=[],
        proposed_at=at,
        expires_at=at + timedelta(days=7),
    )


def test_a_proposal_read_before_its_request_is_still_timed() -> None:
    rec, pending = recorder()
    asyncio.run(rec.record([Incoming("e2", T0 + timedelta(days=3), proposal())]))
    assert pending.facts == []
    asyncio.run(rec.record([Incoming("e1", T0, request())]))
    proposed = [f for f in pending.facts if f.kind is FactKind.PROPOSED]
    assert len(proposed) == 1
    assert proposed[0].days == 3
    assert proposed[0].needs == ("ecoute", "repit-garde-ponctuelle")
    assert proposed[0].several_signs


def test_a_redelivered_event_counts_once() -> None:
    rec, pending = recorder()
    batch = [Incoming("e1", T0, request()), Incoming("e2", T0, proposal())]
    asyncio.run(rec.record(batch))
    asyncio.run(rec.record(batch))
    kinds = sorted(f.kind.value for f in pending.facts)
    assert kinds == ["proposed", "request"]


def test_an_erasure_resent_by_privacy_counts_once() -> None:
    rec, pending = recorder()
    command = ErasureRequested(
        case_id="case-0001",
        subject_ref="family-0001",
        subject_kind="family",
        deadline=T0,
        reason="retention",
    )
    asyncio.run(rec.record([Incoming("e1", T0, command)]))
    asyncio.run(rec.record([Incoming("e2", T0 + timedelta(days=5), command)]))
    assert [(f.kind, f.reason, f.outcome, f.month) for f in pending.facts] == [
        (FactKind.ERASURE, "retention", "family", "2026-05")
    ]


def test_the_signs_noted_travel_as_codes_into_every_fact_of_the_request() -> None:
    rec, pending = recorder()
    signs = ["situation-de-crise", "epuisement-declare"]
    noted = RequestSubmitted.model_validate(request().model_dump() | {"signs": signs})
    asyncio.run(rec.record([Incoming("e1", T0, noted), Incoming("e2", T0, proposal())]))
    assert {f.kind: f.situations for f in pending.facts} == {
        FactKind.REQUEST: ("epuisement-declare", "situation-de-crise"),
        FactKind.PROPOSED: ("epuisement-declare", "situation-de-crise"),
    }


def volunteer(changed_at: datetime, **changes: object) -> VolunteerAvailability:
    return VolunteerAvailability.model_validate(
        {
            "volunteer_ref": "volunteer-0001",
            "association_id": "afev",
            "revision": 1,
            "departement": "59",
            "postal_code": "59000",
            "needs": ["accompagnement-scolaire"],
            "capacity": 1,
            "active": True,
            "changed_at": changed_at,
            "applied_at": T0 - timedelta(days=20),
            "approved_at": T0,
        }
        | changes
    )


def test_a_volunteers_approval_is_counted_once_with_the_days_since_they_applied() -> None:
    rec, pending = recorder()
    asyncio.run(rec.record([Incoming("e1", T0, volunteer(T0))]))
    later = volunteer(T0 + timedelta(days=40), revision=2, active=False)
    asyncio.run(rec.record([Incoming("e2", later.changed_at, later)]))
    approved = [f for f in pending.facts if f.kind is FactKind.APPROVED]
    assert [(f.month, f.days, f.association, f.needs) for f in approved] == [
        ("2026-05", 20.0, "afev", ("accompagnement-scolaire",))
    ]
    # still one fact per month the volunteer was known in, active then paused
    states = [(f.month, f.outcome) for f in pending.facts if f.kind is FactKind.VOLUNTEER]
    assert states == [("2026-05", "active"), ("2026-06", "paused")]


def test_a_volunteer_announced_without_an_approval_date_yields_no_approval() -> None:
    rec, pending = recorder()
    asyncio.run(rec.record([Incoming("e1", T0, volunteer(T0, approved_at=None))]))
    assert [f.kind for f in pending.facts] == [FactKind.VOLUNTEER]
