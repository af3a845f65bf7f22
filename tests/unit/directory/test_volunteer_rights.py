"""A volunteer's objection and rectification through the data-protection officer, on the
fakes: an approved volunteer who objects is paused (matching hears they are not
available), the case is noted once for their association's staff, a redelivery changes
nothing; an applicant is noted, not paused; a rectification is noted."""

from typing import Any

from entraide.contracts.events import VolunteerAvailability
from entraide.directory.domain.volunteers.rules import Status
from entraide.directory.usecases import volunteers as volunteer_service
from entraide.directory.usecases.volunteer_rights import VolunteerRights
from tests.unit.directory.fakes import FakeKeys, FakeUnitOfWork
from tests.unit.directory.test_volunteer_use_cases import FORM, approved


class Documents:
    """`VolunteerDocuments.by_ref` and `note` over the fake unit of work's volunteers."""

    def __init__(self, uow: FakeUnitOfWork) -> None:
        self.uow = uow
        self.notes: dict[tuple[str, str], list[str]] = {}

    async def by_ref(self, ref: str) -> dict[str, Any] | None:
        found = [v for v in self.uow.volunteers.stored.values() if v.volunteer_ref == ref]
        return found[0].state() if found else None

    async def note(self, volunteer_ref: str, field: str, case_id: str) -> bool:
        if await self.by_ref(volunteer_ref) is None:
            return False
        noted = self.notes.setdefault((volunteer_ref, field), [])
        if case_id in noted:
            return False
        noted.append(case_id)
        return True


async def test_an_approved_volunteer_who_objects_is_paused_once() -> None:
    uow, volunteer_id = await approved()
    ref = uow.volunteers.stored[volunteer_id].volunteer_ref
    documents = Documents(uow)
    rights = VolunteerRights(uow, documents)

    assert await rights.object(ref, "case-1") == {"volunteers": 1, "paused": 1}
    assert uow.volunteers.stored[volunteer_id].status is Status.PAUSED
    [last] = [e for e in uow.events() if isinstance(e, VolunteerAvailability)][-1:]
    assert not last.active, "matching hears they are not available"
    assert documents.notes[(ref, "objections")] == ["case-1"]
    published = len(uow.published)
    assert await rights.object(ref, "case-1") == {"volunteers": 0}  # a redelivery
    assert len(uow.published) == published


async def test_an_applicant_who_objects_is_noted_not_paused() -> None:
    uow, keys = FakeUnitOfWork(), FakeKeys()
    volunteer_id = await volunteer_service.apply(uow, keys, FORM)
    ref = uow.volunteers.stored[volunteer_id].volunteer_ref
    documents = Documents(uow)

    assert await VolunteerRights(uow, documents).object(ref, "case-2") == {"volunteers": 1}
    assert uow.volunteers.stored[volunteer_id].status is Status.APPLIED
    assert documents.notes[(ref, "objections")] == ["case-2"]


async def test_a_rectification_is_noted_and_an_unknown_volunteer_changes_nothing() -> None:
    uow, volunteer_id = await approved()
    ref = uow.volunteers.stored[volunteer_id].volunteer_ref
    documents = Documents(uow)
    rights = VolunteerRights(uow, documents)

    assert await rights.rectify(ref, "case-3") == {"volunteers": 1}
    assert documents.notes[(ref, "rectifications")] == ["case-3"]
    assert uow.volunteers.stored[volunteer_id].status is Status.APPROVED
    assert await rights.object("unknown", "case-4") == {}
    assert await rights.rectify("unknown", "case-5") == {}


async def test_an_objection_noted_but_not_applied_is_applied_when_delivered_again() -> None:
    """A first delivery noted the objection, then failed before the pause (the store went
    away): the command comes again and the volunteer is paused then."""
    uow, volunteer_id = await approved()
    ref = uow.volunteers.stored[volunteer_id].volunteer_ref
    documents = Documents(uow)
    await documents.note(ref, "objections", "case-6")  # the first delivery's note

    assert await VolunteerRights(uow, documents).object(ref, "case-6") == {
        "volunteers": 1,
        "paused": 1,
    }
    assert uow.volunteers.stored[volunteer_id].status is Status.PAUSED
