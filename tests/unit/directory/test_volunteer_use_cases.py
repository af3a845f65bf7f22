"""Volunteers' use cases against the fakes: no Kafka, no store."""

import asyncio
from datetime import UTC, datetime

import pytest

from entraide.contracts.events import VolunteerAvailability
from entraide.directory.domain.records import ConflictError, ForbiddenError, Tombstone
from entraide.directory.domain.volunteers.application import Application
from entraide.directory.domain.volunteers.rules import (
    HONORABILITY_VALIDITY,
    Honorability,
    Status,
    TransitionError,
)
from entraide.directory.domain.volunteers.sealing import unseal
from entraide.directory.domain.volunteers.volunteer import Volunteer
from entraide.directory.usecases import volunteers as volunteer_service
from entraide.directory.usecases.volunteers import Review
from entraide.kit.principal import Principal, Role
from tests.unit.directory.fakes import FakeKeys, FakeUnitOfWork

PPM = Principal(subject="s", name="Claire", role=Role.STAFF, association_id="parrains-par-mille")
AFEV = Principal(subject="t", name="Tom", role=Role.STAFF, association_id="afev")
FORM = Application.model_validate(
    {
        "identity": {"prenom": "Dominique", "nom": "Inventé", "courriel": "d@example.org"},
        "association_id": "parrains-par-mille",
        "code_postal": "44000",
        "needs": ["parrainage-de-proximite"],
        "availability": [{"day": "we", "part": "afternoon"}],
        "capacity": 1,
        "consent": True,
    }
)
REVIEW = [
    Review(status=Status.IN_REVIEW, honorability=Honorability.REQUESTED),
    Review(honorability=Honorability.CLEARED),
]


async def applied() -> tuple[FakeUnitOfWork, FakeKeys, str]:
    uow, keys = FakeUnitOfWork(), FakeKeys()
    return uow, keys, await volunteer_service.apply(uow, keys, FORM)


async def approved() -> tuple[FakeUnitOfWork, str]:
    uow, _, volunteer_id = await applied()
    for changes in [*REVIEW, Review(status=Status.APPROVED)]:
        await volunteer_service.change(uow, PPM, volunteer_id, changes)
    return uow, volunteer_id


async def test_an_application_is_stored_sealed_and_announces_nothing() -> None:
    uow, keys, volunteer_id = await applied()
    stored = uow.volunteers.stored[volunteer_id]
    assert (stored.status, stored.honorability, stored.revision) == (
        Status.APPLIED,
        Honorability.NOT_REQUESTED,
        1,
    )
    assert "Dominique" not in str(stored.identity)
    identity = unseal(keys.keys[volunteer_id], volunteer_id, stored.identity)
    assert identity["prenom"] == "Dominique"
    assert (uow.writes, uow.wakes, uow.published) == (1, 1, [])  # the observatory's only
    [application] = uow.applications
    assert application.data.status == "applied"  # type: ignore[union-attr]


async def test_a_review_approves_only_once_honorability_is_cleared_and_then_announces() -> None:
    uow, _, volunteer_id = await applied()
    await volunteer_service.change(uow, PPM, volunteer_id, REVIEW[0])
    with pytest.raises(TransitionError):
        await volunteer_service.change(uow, PPM, volunteer_id, Review(status=Status.APPROVED))
    assert uow.published == []
    await volunteer_service.change(uow, PPM, volunteer_id, REVIEW[1])
    volunteer = await volunteer_service.change(
        uow, PPM, volunteer_id, Review(status=Status.APPROVED)
    )
    assert volunteer is not None
    assert (volunteer.status, volunteer.revision) == (Status.APPROVED, 4)
    [event] = uow.events()
    assert isinstance(event, VolunteerAvailability)
    assert (event.volunteer_ref, event.revision, event.active) == (volunteer.volunteer_ref, 4, True)
    assert uow.wakes == 4  # the application, and each review that changed it


async def test_another_association_may_not_review() -> None:
    uow, _, volunteer_id = await applied()
    with pytest.raises(ForbiddenError):
        await volunteer_service.change(uow, AFEV, volunteer_id, REVIEW[0])
    assert await volunteer_service.change(uow, PPM, "unknown", REVIEW[0]) is None


async def test_a_paused_volunteer_is_announced_inactive() -> None:
    uow, volunteer_id = await approved()
    await volunteer_service.change(uow, PPM, volunteer_id, Review(status=Status.PAUSED))
    event = uow.events()[-1]
    assert isinstance(event, VolunteerAvailability)
    assert (event.active, event.revision) == (False, 5)


async def test_a_volunteer_leaving_is_announced_then_tombstoned() -> None:
    uow, volunteer_id = await approved()
    volunteer = await volunteer_service.change(uow, PPM, volunteer_id, Review(status=Status.LEFT))
    assert volunteer is not None
    *_, left, tombstone = uow.published
    assert isinstance(left.data, VolunteerAvailability)  # type: ignore[union-attr]
    assert not left.data.active  # type: ignore[union-attr]
    assert tombstone == Tombstone(volunteer.volunteer_ref)
    with pytest.raises(TransitionError):
        await volunteer_service.change(uow, PPM, volunteer_id, Review(status=Status.APPROVED))


async def test_an_approval_raced_by_another_review_keeps_both_and_each_is_announced_once() -> None:
    uow, _, volunteer_id = await applied()
    for changes in REVIEW:
        await volunteer_service.change(uow, PPM, volunteer_id, changes)
    await asyncio.gather(
        volunteer_service.change(uow, PPM, volunteer_id, Review(status=Status.APPROVED)),
        volunteer_service.change(uow, PPM, volunteer_id, Review(capacity=3)),
    )
    stored = uow.volunteers.stored[volunteer_id]
    assert (stored.status, stored.capacity, stored.revision) == (Status.APPROVED, 3, 5)
    assert uow.refused >= 1  # one of them read revision 3 and wrote after the other
    revisions = [e.revision for e in uow.events()]
    assert revisions == sorted(set(revisions))  # each revision announced at most once
    assert revisions[-1] == 5
    assert all(e.capacity == 3 for e in uow.events() if e.revision == 5)


async def test_a_review_always_raced_ends_in_a_conflict_and_writes_nothing() -> None:
    uow, _, volunteer_id = await applied()
    fake_commit = uow.commit

    async def raced(aggregate: Volunteer) -> bool:
        """Another review gets in first, every time."""
        other = await uow.volunteers.get(volunteer_id)
        assert other is not None
        other.change({"active_families": other.active_families + 1}, datetime.now(UTC))
        assert await fake_commit(other)
        return await fake_commit(aggregate)

    uow.commit = raced  # type: ignore[method-assign,assignment]
    with pytest.raises(ConflictError):
        await volunteer_service.change(uow, PPM, volunteer_id, Review(capacity=2))
    stored = uow.volunteers.stored[volunteer_id]
    assert (stored.capacity, stored.active_families) == (1, volunteer_service.ATTEMPTS)
    assert uow.refused == volunteer_service.ATTEMPTS


async def test_volunteers_approved_before_the_validity_was_kept_are_announced_with_it() -> None:
    uow, volunteer_id = await approved()
    legacy = uow.volunteers.stored[volunteer_id].state()
    del legacy["honorability_valid_until"]  # as written before the validity was kept
    uow.volunteers.stored[volunteer_id] = Volunteer.from_state(legacy)
    uow.published.clear()

    assert await volunteer_service.announce_validity(uow, [volunteer_id]) == 1
    [again] = uow.published
    assert isinstance(again.data, VolunteerAvailability)  # type: ignore[union-attr]
    valid = legacy["applied_at"].date() + HONORABILITY_VALIDITY  # counted from applying
    assert again.data.honorability_valid_until == valid  # type: ignore[union-attr]
    assert await volunteer_service.announce_validity(uow, ["unknown"]) == 0


class Documents:
    """`VolunteerDocuments.by_ref` over the fake unit of work."""

    def __init__(self, uow: FakeUnitOfWork) -> None:
        self.uow = uow

    async def by_ref(self, ref: str) -> dict | None:
        found = [v.state() for v in self.uow.volunteers.stored.values() if v.volunteer_ref == ref]
        return found[0] if found else None


async def test_an_associations_staff_read_and_review_only_the_volunteers_of_their_territories() -> (
    None
):
    """The Loire-Atlantique's staff of an association do not read the names of its Nord
    volunteers, nor review them (their list: `test_association_roster`)."""
    uow, keys = FakeUnitOfWork(), FakeKeys()
    nantes = await volunteer_service.apply(uow, keys, FORM)
    lille = await volunteer_service.apply(
        uow, keys, FORM.model_copy(update={"code_postal": "59000"})
    )
    in_44 = PPM.model_copy(update={"territories": ("44",)})
    documents = Documents(uow)

    lille_ref = uow.volunteers.stored[lille].volunteer_ref
    assert await volunteer_service.volunteer_by_ref(documents, keys, in_44, lille_ref) is None
    with pytest.raises(ForbiddenError):
        await volunteer_service.change(uow, in_44, lille, Review(capacity=2))
    assert await volunteer_service.change(uow, in_44, nantes, Review(capacity=2)) is not None
