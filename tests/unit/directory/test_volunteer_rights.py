"""A volunteer's objection and rectification through the data-protection officer, on the
fakes: an approved volunteer who objects is paused (matching hears they are not
available), the case is noted once for their association's staff, a redelivery changes
nothing; an applicant is noted, not paused; a rectification is noted."""

from typing import Any

import pytest

from entraide.contracts.events import RectificationCompleted, VolunteerAvailability
from entraide.directory.domain.records import ForbiddenError
from entraide.directory.domain.volunteers.application import Correction
from entraide.directory.domain.volunteers.rules import Status
from entraide.directory.domain.volunteers.sealing import unseal
from entraide.directory.usecases import volunteers as volunteer_service
from entraide.directory.usecases.volunteer_rights import VolunteerRights
from entraide.directory.usecases.volunteers import Review
from tests.unit.directory.fakes import FakeKeys, FakeUnitOfWork
from tests.unit.directory.test_volunteer_use_cases import (
    AFEV,
    FORM,
    PPM,
    REVIEW,
    applied,
    approved,
)


class Documents:
    """`VolunteerDocuments.by_ref` and `note` over the fake unit of work's volunteers (a
    rectification is flagged on the stored record, as the store's note is)."""

    def __init__(self, uow: FakeUnitOfWork) -> None:
        self.uow = uow
        self.notes: dict[tuple[str, str], list[str]] = {}

    async def by_ref(self, ref: str) -> dict[str, Any] | None:
        found = [v for v in self.uow.volunteers.stored.values() if v.volunteer_ref == ref]
        return found[0].state() if found else None

    async def note(
        self, volunteer_ref: str, field: str, case_id: str, *, unless_in: str | None = None
    ) -> bool:
        found = [v for v in self.uow.volunteers.stored.values() if v.volunteer_ref == volunteer_ref]
        if not found or (unless_in and case_id in getattr(found[0], unless_in)):
            return False
        if field == "rectifications":  # on the record, where a correction takes it off
            noted = found[0].rectifications
        else:
            noted = self.notes.setdefault((volunteer_ref, field), [])
        if case_id in noted:
            return False
        noted.append(case_id)
        return True

    def rectifications(self, volunteer_ref: str) -> list[str]:
        found = [v for v in self.uow.volunteers.stored.values() if v.volunteer_ref == volunteer_ref]
        return found[0].rectifications


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
    assert documents.rectifications(ref) == ["case-3"]
    assert uow.volunteers.stored[volunteer_id].status is Status.APPROVED
    assert await rights.object("unknown", "case-4") == {}
    assert await rights.rectify("unknown", "case-5") == {}


async def test_a_rectification_noted_by_a_lost_delivery_still_counts() -> None:
    """A first delivery noted it, then its answer was lost: the command comes again and
    counts the record (privacy would close a case with nothing flagged, « no record »)."""
    uow, volunteer_id = await approved()
    ref = uow.volunteers.stored[volunteer_id].volunteer_ref
    documents = Documents(uow)
    await documents.note(ref, "rectifications", "case-7")  # the first delivery's note

    assert await VolunteerRights(uow, documents).rectify(ref, "case-7") == {"volunteers": 1}
    assert documents.rectifications(ref) == ["case-7"]


async def test_a_correction_tells_privacy_each_flagged_case_is_done() -> None:
    """Their association corrects the card: the identity is sealed anew, matching hears
    where they live now, privacy hears each flagged case is done (case and reference
    only), and the flags go in the same write; another association may not."""
    uow, keys, volunteer_id = await applied()
    for changes in [*REVIEW, Review(status=Status.APPROVED)]:
        await volunteer_service.change(uow, PPM, volunteer_id, changes)
    stored = uow.volunteers.stored[volunteer_id]
    stored.rectifications = ["case-0008"]
    identity = {"prenom": "Dominique", "nom": "Martin", "courriel": "dm@example.org"}
    fixed = Correction.model_validate({"identity": identity, "code_postal": "44400"})
    writes = uow.writes

    with pytest.raises(ForbiddenError):
        await volunteer_service.correct(uow, keys, AFEV, volunteer_id, fixed)
    assert await volunteer_service.correct(uow, keys, PPM, volunteer_id, fixed) is not None

    [done] = [e for e in uow.events() if isinstance(e, RectificationCompleted)]
    assert (done.case_id, done.subject_ref, done.service) == (
        "case-0008",
        stored.volunteer_ref,
        "directory",
    )
    availability = [e for e in uow.events() if isinstance(e, VolunteerAvailability)]
    assert availability[-1].postal_code == "44400"
    after = uow.volunteers.stored[volunteer_id]
    assert (after.rectifications, uow.writes) == ([], writes + 1)
    key = await keys.existing(volunteer_id)
    assert key is not None
    assert unseal(key, volunteer_id, after.identity)["nom"] == "Martin"


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


async def test_a_rectification_delivered_again_after_the_correction_is_not_flagged() -> None:
    """Kafka delivers at least once, privacy's watchdog may resend: a command for a case
    their association corrected already is acknowledged again (privacy ignores it), not
    flagged on the card again, and privacy hears of the correction once."""
    uow, keys, volunteer_id = await applied()
    for changes in [*REVIEW, Review(status=Status.APPROVED)]:
        await volunteer_service.change(uow, PPM, volunteer_id, changes)
    ref = uow.volunteers.stored[volunteer_id].volunteer_ref
    rights = VolunteerRights(uow, Documents(uow))
    identity = {"prenom": "Dominique", "nom": "Martin", "courriel": "dm@example.org"}
    fixed = Correction.model_validate({"identity": identity, "code_postal": "44400"})

    assert await rights.rectify(ref, "case-0009") == {"volunteers": 1}
    assert uow.volunteers.stored[volunteer_id].rectifications == ["case-0009"]
    await volunteer_service.correct(uow, keys, PPM, volunteer_id, fixed)
    assert uow.volunteers.stored[volunteer_id].rectifications_done == ["case-0009"]

    assert await rights.rectify(ref, "case-0009") == {"volunteers": 1}
    assert uow.volunteers.stored[volunteer_id].rectifications == [], "not flagged again"
    await volunteer_service.correct(uow, keys, PPM, volunteer_id, fixed)
    done = [e.case_id for e in uow.events() if isinstance(e, RectificationCompleted)]
    assert done == ["case-0009"], "one completion per case"


async def test_a_case_done_and_still_flagged_is_announced_once_and_unflagged() -> None:
    """However the flag came back (a card written before the cases done were kept), a
    correction takes it off and tells privacy nothing more."""
    uow, keys, volunteer_id = await applied()
    stored = uow.volunteers.stored[volunteer_id]
    stored.rectifications, stored.rectifications_done = ["case-0010"], ["case-0010"]
    identity = {"prenom": "Dominique", "nom": "Martin", "courriel": "dm@example.org"}
    fixed = Correction.model_validate({"identity": identity, "code_postal": "44400"})

    await volunteer_service.correct(uow, keys, PPM, volunteer_id, fixed)

    assert not [e for e in uow.events() if isinstance(e, RectificationCompleted)]
    assert uow.volunteers.stored[volunteer_id].rectifications == []
