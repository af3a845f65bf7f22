"""A request's orientation from matching's events; the parent's consent withdrawn (staff,
partner, privacy's objection) and a rectification flagged, against the fakes."""

from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from entraide.contracts import new_event
from entraide.contracts.events import (
    MatchAccepted,
    MatchCheckedIn,
    MatchClosed,
    MatchProposed,
    MatchWaitlisted,
    ObjectionRequested,
    RectificationRequested,
    RequestUpdated,
    RequestWithdrawn,
)
from entraide.contracts.vocab import MatchOutcome, RequestChannel, SubjectKind, WithdrawalReason
from entraide.intake.domain import orientation
from entraide.intake.domain.family import Consent
from entraide.intake.entrypoints.http import labels
from entraide.intake.entrypoints.http.schemas import ConsentChange, RequestIn
from entraide.intake.usecases import consent, recording
from entraide.intake.usecases import orientation as noting
from entraide.intake.usecases.casework import Casework
from entraide.intake.usecases.ports import Action
from entraide.intake.usecases.rights import IntakeRights
from tests.unit.intake.builders import CLAIRE, casework, details
from tests.unit.intake.fakes import FakeAudit, FakeKeys, FakeUnitOfWork

NOW = datetime(2026, 11, 29, 22, 5, tzinfo=UTC)
WITHDRAWN = Consent(matching=False, sharing=False, collected_by="Claire", collected_at=NOW)


async def _recorded(work: Casework, uow: FakeUnitOfWork) -> tuple[str, str, str]:
    recorded = await recording.record_request(
        uow,
        work.keys,
        details(),
        association_id="parrains-par-mille",
        channel=RequestChannel.STAFF_FORM,
    )
    ref = uow.families.stored[recorded.family_id].family_ref
    return recorded.family_id, recorded.request_id, ref


def _event(data: object) -> object:
    return new_event(data, source="/entraide/matching", subject="x")  # type: ignore[arg-type]


def _proposed(request_id: str, ref: str, at: datetime) -> MatchProposed:
    return MatchProposed(
        match_id="match-0001",
        request_id=request_id,
        family_ref=ref,
        association_id="parrains-par-mille",
        volunteer_ref="volunteer-0001",
        score=0.8,
        reasons=["Proche"],
        proposed_at=at,
        expires_at=at + timedelta(days=5),
    )


async def test_matchings_events_make_the_requests_history_once_each() -> None:
    work, uow, _, _ = casework()
    family_id, request_id, ref = await _recorded(work, uow)
    ids = {"match_id": "match-0001", "request_id": request_id, "family_ref": ref}
    waited = _event(
        MatchWaitlisted(
            request_id=request_id, family_ref=ref, reason_code="too-far", waitlisted_at=NOW
        )
    )
    proposed = _event(_proposed(request_id, ref, NOW + timedelta(hours=1)))
    accepted = _event(
        MatchAccepted(**ids, association_id="parrains-par-mille", accepted_at=NOW + timedelta(1))
    )
    checked = _event(MatchCheckedIn(**ids, checked_in_at=NOW + timedelta(2), kind="1-month"))
    batch = [waited, proposed, accepted, proposed, checked]  # a redelivery, a follow-up
    assert await noting.match_events(uow.families, batch) == 3  # type: ignore[arg-type]
    assert await noting.match_events(uow.families, [accepted]) == 0  # type: ignore[list-item]

    family = await uow.families.get(family_id)
    assert family is not None
    steps = orientation.history(family.orientation, request_id)
    assert [s.state for s in steps] == ["waitlisted", "proposed", "accepted"]
    assert steps[0].reason == "too-far"
    assert steps[1].support == "volunteer"
    latest = orientation.current(family.orientation, request_id)
    assert latest is not None
    assert latest.association_id == "parrains-par-mille"
    assert (await work.recent(CLAIRE))[0].requests[0].status == "submitted"


def test_steps_read_in_french_in_paris_time() -> None:
    assert labels.ORIENTATION["proposed"] == "Proposée"
    assert labels.ORIENTATION[None] == "En attente d'orientation"
    assert labels.in_sentence(labels.WAITLIST_REASONS["too-far"]).startswith("personne à distance")
    assert (
        labels.in_sentence(labels.MATCH_OUTCOMES[MatchOutcome.CONSENT_WITHDRAWN.value])
        == "accord du parent retiré"
    )
    assert labels.when(NOW) == "29/11/2026 à\u00a023\u00a0h\u00a005"  # UTC+1 in winter
    naive = datetime(2026, 7, 1, 10, 0)  # taken as UTC
    assert labels.when(naive) == "01/07/2026 à\u00a012\u00a0h\u00a000"


def test_consent_to_matching_is_required_to_record_but_may_be_withdrawn_later() -> None:
    body = {"consent": {"matching": False, "collected_by": "Claire", "collected_at": NOW}}
    assert ConsentChange.model_validate(body).given().matching is False
    with pytest.raises(ValidationError) as refused:
        RequestIn.model_validate({"consent": body["consent"]})
    assert ("consent", "matching") in [e["loc"] for e in refused.value.errors()]


async def test_withdrawing_consent_announces_each_open_request_without_it() -> None:
    work, uow, _, audit = casework()
    family_id, request_id, _ = await _recorded(work, uow)
    revised = await work.change_consent(CLAIRE, family_id, WITHDRAWN, via="api")

    assert revised == 1
    [update] = uow.events_of(RequestUpdated)
    assert (update.request_id, update.revision) == (request_id, 2)
    assert update.consent_to_matching is False
    assert update.consent_withdrawn_at is not None
    family = await uow.families.get(family_id)
    assert family is not None
    assert family.consent.matching is False
    assert audit.actions()[-1] == Action.CONSENT
    # the same consent again moves nothing
    assert await work.change_consent(CLAIRE, family_id, WITHDRAWN, via="api") == 0


async def test_a_withdrawal_for_consent_withdrawn_ends_the_consent_too() -> None:
    work, uow, _, _ = casework()
    family_id, request_id, _ = await _recorded(work, uow)
    await work.withdraw(CLAIRE, family_id, request_id, WithdrawalReason.CONSENT_WITHDRAWN)

    [update] = uow.events_of(RequestUpdated)
    [withdrawn] = uow.events_of(RequestWithdrawn)
    assert update.consent_to_matching is False
    assert (update.revision, withdrawn.revision) == (2, 3)
    assert withdrawn.reason == WithdrawalReason.CONSENT_WITHDRAWN


async def test_a_partner_withdraws_the_consent_of_a_family_it_sent() -> None:
    uow, keys, audit = FakeUnitOfWork(), FakeKeys(), FakeAudit()
    recorded = await recording.record_request(
        uow, keys, details(), association_id=None, channel=RequestChannel.PARTNER
    )
    assert await consent.from_partner(uow, audit, recorded.family_id, WITHDRAWN, source="caf") == 1
    assert uow.events_of(RequestUpdated)[0].consent_to_matching is False


async def test_an_objection_withdraws_the_consent_and_a_rectification_is_flagged() -> None:
    uow, keys, audit = FakeUnitOfWork(), FakeKeys(), FakeAudit()
    recorded = await recording.record_request(
        uow, keys, details(), association_id=None, channel=RequestChannel.PARTNER
    )
    ref = uow.families.stored[recorded.family_id].family_ref
    rights = IntakeRights(uow.families, keys, audit, uow=uow)
    command = {
        "case_id": "case-0001",
        "subject_ref": ref,
        "subject_kind": SubjectKind.FAMILY,
        "deadline": NOW + timedelta(days=30),
    }
    assert await rights.object(ObjectionRequested(**command)) == {"families": 1, "requests": 1}
    assert await rights.object(ObjectionRequested(**command)) == {}  # a redelivery
    assert uow.events_of(RequestUpdated)[0].consent_to_matching is False
    assert await rights.rectify(RectificationRequested(**command)) == {"families": 1}
    family = await uow.families.get(recorded.family_id)
    assert family is not None
    assert family.rectifications == ["case-0001"]


def test_a_closed_match_ends_the_history_with_its_outcome() -> None:
    closed = MatchClosed(
        match_id="match-0001",
        request_id="request-0001",
        family_ref="family-ref-01",
        association_id="afev",
        outcome=MatchOutcome.CONSENT_WITHDRAWN,
        closed_at=NOW,
    )
    step = orientation.step_of(_event(closed))  # type: ignore[arg-type]
    assert step is not None
    assert (step.state, step.outcome) == ("closed", "consent-withdrawn")
