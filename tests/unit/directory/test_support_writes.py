"""The order a batch's supports are written in (`adapters.volunteers.supports.in_rounds`):
one run of updates, then one of deletes (one command each in an ordered bulk write), and
every match ends as it would have, written one event at a time in the topic's order."""

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from entraide.contracts.events import MatchProposed
from entraide.directory.adapters.volunteers.supports import FROM, Change, ends, in_rounds
from entraide.directory.usecases.ports import SupportMove

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
STATES = ["accepted", "started", "declined", "expired", "closed"]


def proposed(match_id: str) -> MatchProposed:
    return MatchProposed(
        match_id=match_id,
        request_id="request-0001",
        family_ref="family-0001",
        association_id="parrains-par-mille",
        volunteer_ref="volunteer-0001",
        score=0.5,
        reasons=[],
        proposed_at=T0,
        expires_at=T0 + timedelta(days=7),
    )


def moved(match_id: str, state: str) -> SupportMove:
    return SupportMove(match_id, state, T0 + timedelta(days=1))


def one_at_a_time(changes: list[Change]) -> dict[str, str]:
    """What the writes leave, one after the other (the store's semantics, in memory)."""
    state: dict[str, str] = {}
    for change in changes:
        if isinstance(change, MatchProposed):
            state.setdefault(change.match_id, "proposed")
        elif ends(change):
            state.pop(change.match_id, None)
        elif state.get(change.match_id) in FROM[change.state]:
            state[change.match_id] = change.state
    return state


def runs(changes: list[Change]) -> list[bool]:
    kinds = [ends(c) for c in changes]
    return [k for i, k in enumerate(kinds) if i == 0 or kinds[i - 1] != k]


def test_a_proposal_and_its_moves_in_one_batch_end_as_one_at_a_time() -> None:
    batch: list[Change] = [
        proposed("match-a-01"),
        proposed("match-b-01"),
        moved("match-a-01", "accepted"),
        moved("match-b-01", "closed"),
        proposed("match-c-01"),
        moved("match-c-01", "accepted"),
        moved("match-c-01", "started"),
        moved("match-d-01", "accepted"),  # before its proposal: finds nothing
        proposed("match-d-01"),
    ]
    ordered = in_rounds(batch)
    assert runs(ordered) == [False, True]  # one update command, one delete command
    assert one_at_a_time(ordered) == one_at_a_time(batch)
    assert one_at_a_time(ordered) == {
        "match-a-01": "accepted",
        "match-c-01": "started",
        "match-d-01": "proposed",
    }


def test_a_match_proposed_again_after_it_ended_is_written_after_its_end() -> None:
    batch: list[Change] = [
        proposed("match-a-01"),
        moved("match-a-01", "closed"),
        proposed("match-a-01"),
    ]
    ordered = in_rounds(batch)
    assert ordered == batch
    assert one_at_a_time(ordered) == {"match-a-01": "proposed"}


events = st.lists(
    st.tuples(
        st.sampled_from(["match-a-01", "match-b-01", "match-c-01"]),
        st.sampled_from(["proposed", *STATES]),
    ),
    max_size=30,
)


@given(events)
def test_any_batch_ends_as_one_event_at_a_time(pairs: list[tuple[str, str]]) -> None:
    batch: list[Change] = [
        proposed(m) if state == "proposed" else moved(m, state) for m, state in pairs
    ]
    ordered = in_rounds(batch)
    assert sorted(map(id, ordered)) == sorted(map(id, batch))
    assert one_at_a_time(ordered) == one_at_a_time(batch)
    for match_id in {m for m, _ in pairs}:  # each match's own in the topic's order
        assert [c for c in ordered if c.match_id == match_id] == [
            c for c in batch if c.match_id == match_id
        ]
