"""Volunteers' use cases: apply (public), review and update (the association's staff)."""

from datetime import UTC, datetime
from typing import Any

from entraide.contracts import new_event
from entraide.contracts.kit.principal import Principal
from entraide.directory import domain, volunteering
from entraide.directory.outbox import entry, tombstone
from entraide.directory.sealing import VolunteerKeyStore, seal, unseal
from entraide.directory.service import SOURCE, ConflictError, ForbiddenError
from entraide.directory.volunteer_store import VolunteerStore
from entraide.directory.volunteering import Honorability, Status

ATTEMPTS = 5  # reviews of one volunteer at once: each is applied in turn
OUTBOX_FIELDS = ("outbox", "outbox_pending", "lease_until", "lease_owner")


async def apply(
    store: VolunteerStore, keys: VolunteerKeyStore, form: volunteering.Application
) -> str:
    """Record an application; the identity is sealed with the volunteer's own key."""
    volunteer_id, ref = volunteering.new_ids()
    key = await keys.create(volunteer_id, ref)
    now = datetime.now(UTC)
    await store.insert(
        {
            "_id": volunteer_id,
            "volunteer_ref": ref,
            "association_id": form.association_id,
            "identity": seal(key, volunteer_id, form.identity.model_dump()),
            "code_postal": form.code_postal,
            "needs": [n.value for n in form.needs],
            "availability": [s.model_dump(mode="json") for s in form.availability],
            "languages": form.languages,
            "skills": form.skills,
            "capacity": form.capacity,
            "active_families": 0,
            "status": Status.APPLIED.value,
            "honorability": Honorability.NOT_REQUESTED.value,
            "revision": 1,
            "applied_at": now,
            "updated_at": now,
        }
    )
    return volunteer_id


async def change(
    store: VolunteerStore, principal: Principal, volunteer_id: str, changes: dict[str, Any]
) -> dict[str, Any] | None:
    """Apply the association's review or update; announce it once the volunteer is approved.

    The changes apply to the volunteer as stored when written: if another review (from
    this replica or another) wrote first, they are applied again to the new revision."""
    for _ in range(ATTEMPTS):
        previous = await store.get(volunteer_id)
        if previous is None:
            return None
        if not domain.may_edit(
            role=principal.role.value,
            own_association=principal.association_id,
            record_association=previous["association_id"],
        ):
            raise ForbiddenError(previous["association_id"])
        doc, entries = _changed(store.topic, previous, changes)
        if await store.replace(doc, entries, previous):
            return doc
    raise ConflictError(volunteer_id)


def _changed(
    topic: str, previous: dict[str, Any], changes: dict[str, Any]
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The next revision of the volunteer, and what it announces."""
    now = datetime.now(UTC)
    doc = {k: v for k, v in previous.items() if k not in OUTBOX_FIELDS}
    doc |= {k: v for k, v in changes.items() if v is not None and k != "status"}
    if changes.get("status") and changes["status"] != previous["status"]:
        doc["status"] = volunteering.change_status(
            Status(previous["status"]), Status(changes["status"]), Honorability(doc["honorability"])
        ).value
    doc |= {"revision": previous["revision"] + 1, "updated_at": now}
    entries = []
    was, now_status = Status(previous["status"]), Status(doc["status"])
    if volunteering.announced(now_status) and (
        volunteering.announced(was) or now_status is Status.APPROVED
    ):
        event = volunteering.availability_event(doc, at=now)
        entries.append(entry(new_event(event, source=SOURCE, subject=doc["volunteer_ref"]), topic))
        if doc["status"] == Status.LEFT:
            entries.append(tombstone(topic, doc["volunteer_ref"]))
    return doc, entries


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
