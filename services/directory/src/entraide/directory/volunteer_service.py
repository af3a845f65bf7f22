"""Volunteers' use cases: apply (public), review and update (the association's staff)."""

from datetime import UTC, datetime
from typing import Any

from entraide.directory import volunteering
from entraide.directory.model import ConflictError, ForbiddenError, Volunteer
from entraide.directory.ports import UnitOfWork
from entraide.directory.sealing import VolunteerKeyStore, seal, unseal
from entraide.directory.service import check
from entraide.directory.volunteering import Honorability, Status
from entraide.kit.principal import Principal

ATTEMPTS = 5  # reviews of one volunteer at once: each is applied in turn
OUTBOX_FIELDS = ("outbox", "outbox_pending", "lease_until", "lease_owner")


async def apply(uow: UnitOfWork, keys: VolunteerKeyStore, form: volunteering.Application) -> str:
    """Record an application; the identity is sealed with the volunteer's own key."""
    volunteer_id, ref = volunteering.new_ids()
    key = await keys.create(volunteer_id, ref)
    now = datetime.now(UTC)
    volunteer = Volunteer(
        id=volunteer_id,
        volunteer_ref=ref,
        association_id=form.association_id,
        identity=seal(key, volunteer_id, form.identity.model_dump()),
        code_postal=form.code_postal,
        needs=[n.value for n in form.needs],
        availability=[s.model_dump(mode="json") for s in form.availability],
        languages=form.languages,
        skills=form.skills,
        capacity=form.capacity,
        active_families=0,
        status=Status.APPLIED,
        honorability=Honorability.NOT_REQUESTED,
        revision=1,
        applied_at=now,
        updated_at=now,
    )
    await uow.add(volunteer)  # nothing to announce yet
    return volunteer_id


async def change(
    uow: UnitOfWork, principal: Principal, volunteer_id: str, changes: dict[str, Any]
) -> Volunteer | None:
    """Apply the association's review or update; announce it once the volunteer is approved.

    The changes apply to the volunteer as stored when written: if another review (from
    this replica or another) wrote first, they are applied again to the new revision."""
    for _ in range(ATTEMPTS):
        volunteer = await uow.volunteers.get(volunteer_id)
        if volunteer is None:
            return None
        check(principal, volunteer.association_id)
        volunteer.change(changes, datetime.now(UTC))
        if await uow.commit(volunteer):
            return volunteer
    raise ConflictError(volunteer_id)


async def announce_validity(uow: UnitOfWork, volunteer_ids: list[str]) -> int:
    """Announce again the volunteers approved before their check's validity was kept (their
    events carried none, so matching proposed none of them); how many were announced.
    A write refused meanwhile (another replica, a review) announced the validity itself."""
    announced = 0
    now = datetime.now(UTC)
    for volunteer_id in volunteer_ids:
        volunteer = await uow.volunteers.get(volunteer_id)
        if volunteer and volunteer.announce_again(now) and await uow.commit(volunteer):
            announced += 1
    return announced


def may_see(principal: Principal, doc: dict[str, Any]) -> bool:
    """Their association's staff and the network's coordination see a volunteer's record."""
    try:
        check(principal, doc["association_id"])
    except ForbiddenError:
        return False
    return True


async def staff_view(keys: VolunteerKeyStore, doc: dict[str, Any]) -> dict[str, Any]:
    """A volunteer as their association's staff see them: identity opened."""
    key = await keys.existing(doc["_id"])
    identity = unseal(key, doc["_id"], doc["identity"]) if key else None
    hidden = {"_id", "identity", *OUTBOX_FIELDS}
    return {
        "volunteer_id": doc["_id"],
        "identity": identity,
        **{k: v for k, v in doc.items() if k not in hidden},
    }
