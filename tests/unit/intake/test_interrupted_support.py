"""A support agreed for a family's own door request that ends without her asking (its
volunteer unavailable or gone, its action closed): she is told once per match, in her
language, by the channel she chose, and /suivi says the same; her own choices, a completed
support, an erasure or an objection tell her nothing."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from entraide.contracts import CloudEvent, new_event
from entraide.contracts.events import MatchAccepted, MatchClosed, MatchStarted
from entraide.contracts.vocab import MatchOutcome
from entraide.intake.domain import orientation
from entraide.intake.domain import self_requests as rules
from entraide.intake.domain.family import MatchStep
from entraide.intake.domain.self_requests import Stage, Standing
from entraide.kit.notifications import Channel
from entraide.kit.notifications.templates import Renderer
from tests.unit.intake.builders import CLAIRE
from tests.unit.intake.test_family_door import submission, world

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
TEMPLATE = "accompagnement-interrompu"
TOLD = {MatchOutcome.VOLUNTEER_UNAVAILABLE, MatchOutcome.ENDED_BY_VOLUNTEER}


def steps(*states: tuple[str, str, str | None]) -> list[MatchStep]:
    """(match, state, outcome) in order, a minute apart."""
    return [
        MatchStep(f"e{n}", "r1", state, NOW + timedelta(minutes=n), match_id=m, outcome=outcome)
        for n, (m, state, outcome) in enumerate(states)
    ]


@pytest.mark.parametrize("outcome", list(MatchOutcome))
def test_only_an_ending_not_hers_nor_normal_tells_the_family(outcome: MatchOutcome) -> None:
    history = steps(("m1", "proposed", None), ("m1", "accepted", None), ("m1", "closed", outcome))
    assert orientation.interrupts(history[-1], history) == (outcome in TOLD)


def test_a_proposal_she_was_never_told_of_tells_her_nothing_when_it_ends() -> None:
    unavailable = MatchOutcome.VOLUNTEER_UNAVAILABLE
    history = steps(("m1", "proposed", None), ("m1", "closed", unavailable))
    assert not orientation.interrupts(history[-1], history)
    assert not orientation.interrupted(history, "r1")


def test_the_status_says_the_support_went_until_another_is_agreed() -> None:
    unavailable = MatchOutcome.VOLUNTEER_UNAVAILABLE
    history = steps(
        ("m1", "accepted", None),
        ("m1", "started", None),
        ("m1", "closed", unavailable),
        ("m2", "proposed", None),
        ("m2", "closed", unavailable),  # a mere proposal gone: still the first one's news
        (None, "waitlisted", None),
    )
    assert orientation.interrupted(history, "r1")
    found = rules.standing(Stage.CONFIRMED, "waitlisted", interrupted=True)
    assert found == Standing.INTERRUPTED
    assert rules.WORDS[found][0] == "La personne qui vous accompagnait n'est plus disponible"
    assert "appel" not in " ".join(rules.WORDS[found])  # no promise of a call to anyone
    history.append(MatchStep("e9", "r1", "accepted", NOW + timedelta(hours=1), match_id="m3"))
    assert not orientation.interrupted(history, "r1")  # another association said yes
    completed = steps(("m1", "accepted", None), ("m1", "closed", MatchOutcome.COMPLETED))
    assert not orientation.interrupted(completed, "r1")


def closing(data: Any, ref: str) -> CloudEvent[Any]:
    return new_event(data, source="/entraide/matching", subject=ref)


async def _told_after(outcome: MatchOutcome, **changes: object) -> tuple[list[Any], str]:
    """A door request accepted, started, then closed with `outcome` (delivered twice):
    what the notifier was given for the interruption, and the follow-up code."""
    door, queue, uow, _, notifier = world()
    received = await door.submit(submission(**changes), NOW)
    request_id = (await queue.confirm(CLAIRE, received.self_id, NOW)).request_id
    stored = door.queue.stored[received.self_id]  # type: ignore[attr-defined]
    said = {
        "match_id": "match-0001",
        "request_id": request_id,
        "family_ref": stored.family_ref,
        "association_id": "parrains-par-mille",
    }
    agreed = [
        closing(MatchAccepted(**said, accepted_at=NOW), stored.family_ref),
        closing(MatchStarted(**said, started_at=NOW), stored.family_ref),
    ]
    ended = closing(MatchClosed(**said, outcome=outcome, closed_at=NOW), stored.family_ref)
    family = uow.families.stored[stored.family_id]
    for event in [*agreed, ended]:  # as intake's consumer notes them first
        step = orientation.step_of(event)
        assert step is not None
        family.orientation.append(step)
    await queue.match_events(agreed)
    await queue.match_events([ended])
    await queue.match_events([ended])  # redelivered
    return [n for n in notifier.sent.values() if n.template == TEMPLATE], received.code


async def test_a_volunteer_gone_tells_her_once_by_her_channel_without_a_call() -> None:
    told, code = await _told_after(MatchOutcome.VOLUNTEER_UNAVAILABLE, language="pt")
    assert [(n.channel, n.language) for n in told] == [(Channel.EMAIL, "pt")]
    [sent] = told
    assert sent.key.endswith(":match-0001")  # once per match: a later support's end is news again
    assert sent.context == {"code": code, "by_phone": False}
    text = Renderer().render(TEMPLATE, Channel.EMAIL, sent.context).text
    assert "appel" not in text
    assert code in text


@pytest.mark.parametrize(
    "outcome",
    [MatchOutcome.REQUEST_WITHDRAWN, MatchOutcome.COMPLETED, MatchOutcome.CONSENT_WITHDRAWN],
)
async def test_her_own_ending_or_a_completed_support_tells_her_nothing(
    outcome: MatchOutcome,
) -> None:
    told, _ = await _told_after(outcome)
    assert told == []


async def test_another_association_agreeing_after_the_interruption_is_told_her_too() -> None:
    """Her first support went; when another is agreed she hears « une association va
    prendre contact avec vous » again (its acceptance and start: once)."""
    door, queue, _, _, notifier = world()
    received = await door.submit(submission(), NOW)
    request_id = (await queue.confirm(CLAIRE, received.self_id, NOW)).request_id
    ref = door.queue.stored[received.self_id].family_ref  # type: ignore[attr-defined]
    said = {"request_id": request_id, "family_ref": ref, "association_id": "parrains-par-mille"}
    first, second = said | {"match_id": "match-0001"}, said | {"match_id": "match-0002"}
    for events in (
        [MatchAccepted(**first, accepted_at=NOW), MatchStarted(**first, started_at=NOW)],
        [MatchClosed(**first, outcome=MatchOutcome.VOLUNTEER_UNAVAILABLE, closed_at=NOW)],
        [MatchAccepted(**second, accepted_at=NOW), MatchStarted(**second, started_at=NOW)],
        [MatchAccepted(**second, accepted_at=NOW)],  # redelivered
    ):
        await queue.match_events([closing(data, ref) for data in events])
    calls = {n.key for n in notifier.sent.values() if n.template == "demande-suite"}
    assert {key.rsplit(":", 1)[1] for key in calls} == {"match-0001", "match-0002"}


def test_an_acceptance_and_its_start_in_one_millisecond_read_as_started() -> None:
    """The store keeps milliseconds: both steps can share one moment, noted in either
    order (a CI run met it: /suivi said « va prendre contact » after the start)."""
    accepted, started = steps(("m1", "accepted", None), ("m1", "started", None))
    started = MatchStep(started.event_id, "r1", "started", accepted.at, match_id="m1")
    for noted in ([accepted, started], [started, accepted]):
        current = orientation.current(noted, "r1")
        assert current is not None
        assert current.state == "started"
