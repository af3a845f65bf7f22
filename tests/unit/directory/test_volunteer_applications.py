"""Each change of an application is announced to the observatory, on its own topic, with
codes and dates only; matching still hears of approved volunteers only."""

from datetime import date

from entraide.contracts.events import (
    ApplicationStatus,
    HonorabilityCheck,
    VolunteerApplicationChanged,
    VolunteerAvailability,
)
from entraide.directory.domain.volunteers.application_events import check_state
from entraide.directory.domain.volunteers.rules import Honorability, Status
from entraide.directory.usecases import volunteers as volunteer_service
from entraide.directory.usecases.volunteers import Review
from tests.unit.directory.test_volunteer_use_cases import FORM, PPM, applied


def applications(uow: object) -> list[VolunteerApplicationChanged]:
    found = [e.data for e in getattr(uow, "applications")]  # noqa: B009
    assert all(isinstance(e, VolunteerApplicationChanged) for e in found)
    return found


async def test_the_whole_life_of_an_application_reaches_the_observatory_only() -> None:
    uow, _, volunteer_id = await applied()
    steps = [
        Review(status=Status.IN_REVIEW, honorability=Honorability.REQUESTED),
        Review(capacity=2),  # not the application's state: nothing announced
        Review(honorability=Honorability.CLEARED),
        Review(status=Status.APPROVED),
        Review(status=Status.PAUSED),
        Review(status=Status.APPROVED),
        Review(status=Status.LEFT),
    ]
    for review in steps:
        await volunteer_service.change(uow, PPM, volunteer_id, review)
    seen = [(e.status, e.honorability) for e in applications(uow)]
    assert seen == [
        (ApplicationStatus.APPLIED, HonorabilityCheck.NONE),
        (ApplicationStatus.IN_REVIEW, HonorabilityCheck.PENDING),
        (ApplicationStatus.IN_REVIEW, HonorabilityCheck.VALID),
        (ApplicationStatus.APPROVED, HonorabilityCheck.VALID),
        (ApplicationStatus.PAUSED, HonorabilityCheck.VALID),
        (ApplicationStatus.APPROVED, HonorabilityCheck.VALID),
        (ApplicationStatus.LEFT, HonorabilityCheck.VALID),
    ]
    first, approved = applications(uow)[0], applications(uow)[3]
    stored = uow.volunteers.stored[volunteer_id]
    assert {e.volunteer_ref for e in applications(uow)} == {stored.volunteer_ref}
    assert (first.departement, first.association_id) == ("44", FORM.association_id)
    assert approved.applied_at == stored.applied_at
    assert approved.approved_at == stored.approved_at
    assert approved.honorability_valid_until == stored.honorability_valid_until
    # matching hears nothing before the approval, then the availability as before
    assert all(
        isinstance(e.data, VolunteerAvailability) for e in uow.published if hasattr(e, "data")
    )
    assert len([e for e in uow.published if hasattr(e, "data")]) == 4  # approved … left
    # no name, no contact, no free text: codes and dates only
    wire = " ".join(e.model_dump_json() for e in applications(uow))
    assert not any(word in wire for word in ("Dominique", "example.org", "Inventé"))
    assert set(VolunteerApplicationChanged.model_fields) == {
        "volunteer_ref", "association_id", "revision", "departement", "needs", "skills",
        "status", "honorability", "honorability_valid_until", "applied_at", "approved_at",
        "changed_at",
    }  # fmt: skip


async def test_a_declined_application_is_announced_and_a_refused_check_says_nothing() -> None:
    uow, _, volunteer_id = await applied()
    await volunteer_service.change(
        uow, PPM, volunteer_id, Review(status=Status.IN_REVIEW, honorability=Honorability.REQUESTED)
    )
    await volunteer_service.change(
        uow, PPM, volunteer_id, Review(honorability=Honorability.REFUSED)
    )
    await volunteer_service.change(uow, PPM, volunteer_id, Review(status=Status.DECLINED))
    last = applications(uow)[-2:]
    assert [(e.status, e.honorability) for e in last] == [
        (ApplicationStatus.IN_REVIEW, HonorabilityCheck.NONE),
        (ApplicationStatus.DECLINED, HonorabilityCheck.NONE),
    ]
    assert uow.published == []  # matching never heard of them


def test_a_cleared_check_past_its_date_travels_as_expired() -> None:
    today = date(2026, 11, 30)
    assert check_state("cleared", date(2026, 11, 29), today) is HonorabilityCheck.EXPIRED
    assert check_state("cleared", date(2026, 11, 30), today) is HonorabilityCheck.VALID
    assert check_state("requested", None, today) is HonorabilityCheck.PENDING
    assert check_state("refused", None, today) is HonorabilityCheck.NONE
