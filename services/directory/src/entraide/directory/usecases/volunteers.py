"""Volunteers' use cases: apply (public), review, update and correct (the association's
staff), the volunteers as their association's staff see them."""

import dataclasses
import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from entraide.contracts import departements
from entraide.directory.domain.records import ConflictError, ForbiddenError
from entraide.directory.domain.volunteers.application import Application, Correction, Identity
from entraide.directory.domain.volunteers.rules import Honorability, Status, new_ids
from entraide.directory.domain.volunteers.sealing import seal, unseal
from entraide.directory.domain.volunteers.volunteer import Volunteer
from entraide.directory.usecases import status_news
from entraide.directory.usecases.access import check, may_see
from entraide.directory.usecases.ports import UnitOfWork, VolunteerDocuments, VolunteerKeyStore
from entraide.directory.usecases.volunteer_news import VolunteerNews
from entraide.kit.principal import Principal

ATTEMPTS = 5  # reviews of one volunteer at once: each is applied in turn
# the store's own fields, not the staff's business (a status's news owed and its marker:
# `status_news`)
HIDDEN = ("outbox", "outbox_pending", "lease_until", "lease_owner", "news_owed", "news_owing")
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Review:
    """What the association changes (None: left as it is): review status, honorability
    check (and the date on a cleared attestation), availability, capacity, load."""

    status: Status | None = None
    honorability: Honorability | None = None
    honorability_valid_until: date | None = None
    availability: list[dict[str, Any]] | None = None  # slots as the events write them
    capacity: int | None = None
    active_families: int | None = None

    def changes(self) -> dict[str, Any]:
        """The given fields, as `Volunteer.change` reads them."""
        given = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        return {name: value for name, value in given.items() if value is not None}


async def apply(
    uow: UnitOfWork,
    keys: VolunteerKeyStore,
    form: Application,
    news: VolunteerNews | None = None,
) -> str:
    """Record an application; the identity is sealed with the volunteer's own key (`news`:
    the volunteer is told it is received, and every later message, in the application's
    `written_language`)."""
    volunteer_id, ref = new_ids()
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
        written_language=form.written_language,
    )
    volunteer.announce_application(now)  # the observatory counts it; matching hears nothing
    volunteer.owe_news(None, now)  # « reçue »: owed in the application's own write
    await uow.add(volunteer)
    if news is not None:
        await status_news.settle(uow.volunteers, news, volunteer, now)
    return volunteer_id


async def change(
    uow: UnitOfWork,
    principal: Principal,
    volunteer_id: str,
    review: Review,
    news: VolunteerNews | None = None,
) -> Volunteer | None:
    """Apply the association's review or update; announce it once the volunteer is approved
    (`news`: the volunteer is told of a new status).

    The changes apply to the volunteer as stored when written: if another review (from
    this replica or another) wrote first, they are applied again to the new revision."""
    for _ in range(ATTEMPTS):
        volunteer = await editable(uow, principal, volunteer_id)
        if volunteer is None:
            return None
        now = datetime.now(UTC)
        volunteer.change(review.changes(), now)  # a new status's news owed in its write
        if await uow.commit(volunteer):
            if news is not None:
                await status_news.settle(uow.volunteers, news, volunteer, now)
            return volunteer
    raise ConflictError(volunteer_id)


@dataclass(frozen=True)
class Corrected:
    """A correction saved, and the rectification cases it left flagged on the record
    because it changed nothing (none when it changed something)."""

    volunteer: Volunteer
    waiting: list[str]


async def correct(
    uow: UnitOfWork,
    keys: VolunteerKeyStore,
    principal: Principal,
    volunteer_id: str,
    correction: Correction,
) -> Corrected | None:
    """The association corrects a volunteer's name, contact details or commune with them
    (their right of rectification; if anything changed, privacy hears that each case
    flagged on the record is done, in the same write); None for a volunteer unknown or
    erased."""
    for _ in range(ATTEMPTS):
        volunteer = await editable(uow, principal, volunteer_id)
        if volunteer is None:
            return None
        key = await keys.existing(volunteer_id)
        if key is None:  # erased: nothing left to correct
            return None
        now, typed = datetime.now(UTC), correction.identity.model_dump()
        # as the form reads it: a field stored before it was asked has its default
        stored = Identity.model_construct(**unseal(key, volunteer_id, volunteer.identity))
        changed = (typed, correction.code_postal) != (stored.model_dump(), volunteer.code_postal)
        identity = seal(key, volunteer_id, typed)
        waiting = volunteer.correct(identity, correction.code_postal, now, changed=changed)
        if await uow.commit(volunteer):
            return Corrected(volunteer, waiting)
    raise ConflictError(volunteer_id)


async def editable(uow: UnitOfWork, principal: Principal, volunteer_id: str) -> Volunteer | None:
    """The volunteer as stored, if the principal may change them (`ForbiddenError` for
    another association's, or another territory's); None when unknown."""
    volunteer = await uow.volunteers.get(volunteer_id)
    if volunteer is None:
        return None
    check(principal, volunteer.association_id)
    if not covers(principal, volunteer.state()):
        raise ForbiddenError(volunteer.association_id)  # another territory's
    return volunteer


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


async def announce_missing_validity(uow: UnitOfWork, volunteers: VolunteerDocuments) -> int:
    """At start: the volunteers approved before their check's validity travelled,
    announced again (`announce_validity`)."""
    ids = await volunteers.without_validity()
    count = await announce_validity(uow, ids) if ids else 0
    if count:
        log.info("volunteers announced again with their check's validity: %d", count)
    return count


async def staff_view(keys: VolunteerKeyStore, doc: dict[str, Any]) -> dict[str, Any]:
    """A volunteer as their association's staff see them: identity opened."""
    key = await keys.existing(doc["_id"])
    identity = unseal(key, doc["_id"], doc["identity"]) if key else None
    hidden = {"_id", "identity", *HIDDEN}
    return {
        "volunteer_id": doc["_id"],
        "identity": identity,
        **{k: v for k, v in doc.items() if k not in hidden},
    }


def covers(principal: Principal, volunteer: dict[str, Any]) -> bool:
    """Whether the volunteer lives in the principal's territories, for their association
    (or the network's coordination)."""
    where = departements.of_postal_code(str(volunteer["code_postal"]))
    return principal.covers(volunteer["association_id"], where)


async def volunteer_by_ref(
    volunteers: VolunteerDocuments, keys: VolunteerKeyStore, principal: Principal, ref: str
) -> dict[str, Any] | None:
    """One volunteer by their pseudonymous reference (matching's link), for their
    association's staff and the network's; None for anyone else or when unknown."""
    doc = await volunteers.by_ref(ref)
    if doc is None or not may_see(principal, doc["association_id"]) or not covers(principal, doc):
        return None
    return await staff_view(keys, doc)
