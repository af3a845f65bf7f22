"""A would-be volunteer is a subject from her application on: directory announces every
change of an application on its own topic (declined, withdrawn, never reviewed included),
matching hears only of approved volunteers. Privacy registers her from the application's
change, so the retention sweep erases her 3 years after the last one."""

from datetime import UTC, datetime, timedelta

from entraide.contracts.events import (
    ApplicationStatus,
    VolunteerApplicationChanged,
    VolunteerAvailability,
)
from entraide.contracts.vocab import ErasureReason, SubjectKind
from entraide.privacy.domain.contacts import contacts_of
from entraide.privacy.domain.retention import add_years
from tests.unit.privacy.fakes import Clock, World

NOW = datetime(2029, 11, 28, 9, tzinfo=UTC)
REF = "applicant-ref-0001"


def application(status: ApplicationStatus, changed_at: datetime) -> VolunteerApplicationChanged:
    return VolunteerApplicationChanged(
        volunteer_ref=REF,
        association_id="parrains-par-mille",
        revision=2,
        departement="44",
        needs=["parrainage-de-proximite"],
        status=status,
        applied_at=changed_at - timedelta(days=10),
        changed_at=changed_at,
    )


async def test_an_applicant_declined_three_years_ago_is_erased_by_the_sweep() -> None:
    world = World(Clock(NOW))
    declined = add_years(NOW, -3) - timedelta(days=1)
    for event in (application(ApplicationStatus.APPLIED, declined - timedelta(days=10)),
                  application(ApplicationStatus.DECLINED, declined)):  # fmt: skip
        for contact in contacts_of(event):
            assert await world.subjects.record_contact(contact)

    registered = await world.subjects.get(REF)
    assert registered is not None
    assert (registered.kind, registered.last_contact_at, registered.departement) == (
        SubjectKind.VOLUNTEER,
        declined,
        "44",
    )
    ran = await world.privacy.sweep(dry_run=False, actor="retention-sweep")

    assert ran.cases_opened == 1
    [case] = world.commands.sent
    assert (case.subject_ref, case.subject_kind, case.reason) == (
        REF,
        SubjectKind.VOLUNTEER,
        ErasureReason.RETENTION,
    )


async def test_an_applicant_approved_later_is_the_same_subject() -> None:
    # the same reference on both topics: one subject, its latest contact counts
    world = World(Clock(NOW))
    applied = NOW - timedelta(days=40)
    approved = VolunteerAvailability.model_validate(
        {
            "volunteer_ref": REF,
            "association_id": "parrains-par-mille",
            "revision": 3,
            "departement": "44",
            "postal_code": "44300",
            "needs": ["parrainage-de-proximite"],
            "availability": [],
            "languages": ["fr"],
            "capacity": 1,
            "active_families": 0,
            "active": True,
            "changed_at": NOW - timedelta(days=2),
        }
    )
    seen = [*contacts_of(application(ApplicationStatus.APPLIED, applied)), *contacts_of(approved)]
    assert await world.subjects.record_contacts(seen) == 2

    assert await world.subjects.registered(SubjectKind.VOLUNTEER) == 1
    subject = await world.subjects.get(REF)
    assert subject is not None
    assert (subject.first_seen_at, subject.last_contact_at) == (applied, NOW - timedelta(days=2))
