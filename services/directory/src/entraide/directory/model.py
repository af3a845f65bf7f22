"""Directory's aggregates, an offer and a volunteer, as the use cases change them.

Each change queues the events it announces; the unit of work (`ports.UnitOfWork`) writes
the new state and those events in one document write, guarded by the revision the
aggregate was read at. Pure: no I/O.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

from entraide.contracts import CloudEvent, new_event
from entraide.directory import domain, volunteering
from entraide.directory.volunteering import Honorability, Status

SOURCE = "/entraide/directory"


class ForbiddenError(Exception):
    """The principal may not touch this association's records."""


class ConflictError(Exception):
    """Someone changed the record meanwhile: reload and try again."""


@dataclass(frozen=True)
class Tombstone:
    """A null value for `key` on the aggregate's compacted topic: compaction forgets it."""

    key: str


Outgoing = CloudEvent[Any] | Tombstone


@dataclass
class Offer:
    """An association's offer: its fields, revision, and the events its changes queued."""

    id: str
    association_id: str
    fields: domain.OfferFields
    revision: int
    created_at: datetime
    updated_at: datetime
    withdrawn: bool = False
    # what was stored when read (None for a new offer): the write's guard, the cards' move
    read_revision: int | None = field(default=None, compare=False)
    read_fields: domain.OfferFields | None = field(default=None, compare=False)
    events: list[Outgoing] = field(default_factory=list, compare=False)

    @classmethod
    def publish(cls, association_id: str, fields: domain.OfferFields, now: datetime) -> "Offer":
        offer = cls(domain.new_offer_id(), association_id, fields, 1, now, now)
        offer._announce("published", now)
        return offer

    def update(self, fields: domain.OfferFields, now: datetime) -> None:
        self.fields, self.revision, self.updated_at = fields, self.revision + 1, now
        self._announce("updated", now)

    def withdraw(self, now: datetime) -> None:
        """The withdrawal event, then a tombstone for its key."""
        event = domain.withdrawn_event(self.state(), at=now)
        self.events += [new_event(event, source=SOURCE, subject=self.id), Tombstone(self.id)]
        self.revision, self.withdrawn = self.revision + 1, True

    def state(self) -> dict[str, Any]:
        """The offer as the domain's functions read it (`domain.offer_document`)."""
        return domain.offer_document(
            self.id,
            self.association_id,
            self.fields,
            revision=self.revision,
            now=self.updated_at,
            created_at=self.created_at,
        )

    @classmethod
    def from_state(cls, doc: dict[str, Any]) -> "Offer":
        """The offer read back from `state()` (extra keys are ignored)."""
        names = domain.OfferFields.model_fields
        fields = domain.OfferFields.model_construct(**{k: doc[k] for k in names if k in doc})
        return cls(
            id=doc["_id"],
            association_id=doc["association_id"],
            fields=fields,
            revision=doc["revision"],
            created_at=doc["created_at"],
            updated_at=doc["updated_at"],
            read_revision=doc["revision"],
            read_fields=fields,
        )

    def _announce(self, kind: Literal["published", "updated"], now: datetime) -> None:
        event = domain.offer_event(self.state(), kind=kind, at=now)
        self.events.append(new_event(event, source=SOURCE, subject=self.id))


@dataclass
class Volunteer:
    """A volunteer: sealed identity, what they offer, the association's review."""

    id: str
    volunteer_ref: str
    association_id: str
    identity: dict[str, str]  # sealed with the volunteer's own key (`sealing`)
    code_postal: str
    needs: list[str]
    availability: list[dict[str, Any]]
    languages: list[str]
    skills: list[str]
    capacity: int
    active_families: int
    status: Status
    honorability: Honorability
    revision: int
    applied_at: datetime
    updated_at: datetime
    honorability_valid_until: date | None = None
    read_revision: int | None = field(default=None, compare=False)
    events: list[Outgoing] = field(default_factory=list, compare=False)

    def change(self, changes: dict[str, Any], now: datetime) -> None:
        """The association's review or update; announced once the volunteer is approved
        (TransitionError when the status may not follow)."""
        was = self.status
        values = {k: v for k, v in changes.items() if v is not None and k != "status"}
        if "honorability" in values:
            values["honorability"] = Honorability(values["honorability"])
        for name in values.keys() & CHANGEABLE:
            setattr(self, name, values[name])
        if values.keys() & {"honorability", "honorability_valid_until"}:
            given = values.get("honorability_valid_until")
            self.honorability_valid_until = volunteering.honorability_valid_until(
                self.honorability,
                given=date.fromisoformat(given) if isinstance(given, str) else given,
                today=now.date(),
            )
        if changes.get("status") and changes["status"] != self.status:
            self.status = volunteering.change_status(
                self.status, Status(changes["status"]), self.honorability
            )
        self.revision, self.updated_at = self.revision + 1, now
        if volunteering.announced(self.status) and (
            volunteering.announced(was) or self.status is Status.APPROVED
        ):
            event = volunteering.availability_event(self.state(), at=now)
            self.events.append(new_event(event, source=SOURCE, subject=self.volunteer_ref))
            if self.status is Status.LEFT:
                self.events.append(Tombstone(self.volunteer_ref))

    def announce_again(self, now: datetime) -> bool:
        """A new revision announcing the volunteer as they stand (the event gained a field
        since the last announcement); False when matching is not to hear of them."""
        if not volunteering.announced(self.status) or self.status is Status.LEFT:
            return False
        self.revision, self.updated_at = self.revision + 1, now
        event = volunteering.availability_event(self.state(), at=now)
        self.events.append(new_event(event, source=SOURCE, subject=self.volunteer_ref))
        return True

    def state(self) -> dict[str, Any]:
        """The volunteer as stored and shown to their association's staff."""
        return {
            "_id": self.id,
            **{name: getattr(self, name) for name in STATE if name != "_id"},
            "status": self.status.value,
            "honorability": self.honorability.value,
            "honorability_valid_until": (
                self.honorability_valid_until.isoformat() if self.honorability_valid_until else None
            ),
        }

    @classmethod
    def from_state(cls, doc: dict[str, Any]) -> "Volunteer":
        """The volunteer read back from `state()` (extra keys are ignored)."""
        values: dict[str, Any] = {name: doc.get(name) for name in STATE if name != "_id"}
        values |= {
            "skills": doc.get("skills") or [],
            "active_families": doc.get("active_families") or 0,
            "status": Status(doc["status"]),
            "honorability": Honorability(doc["honorability"]),
            "honorability_valid_until": _valid_until(doc),
        }
        return cls(id=doc["_id"], **values, read_revision=doc["revision"])


def _valid_until(doc: dict[str, Any]) -> date | None:
    """The stored validity; a check cleared before it was recorded counts from the
    application (earlier than the clearing: the safe side)."""
    valid = doc.get("honorability_valid_until")
    if valid:
        return date.fromisoformat(valid) if isinstance(valid, str) else valid
    if doc["honorability"] != Honorability.CLEARED:
        return None
    return volunteering.honorability_valid_until(
        Honorability.CLEARED, given=None, today=doc["applied_at"].date()
    )


CHANGEABLE = frozenset({"honorability", "availability", "capacity", "active_families"})
STATE = (
    "_id", "volunteer_ref", "association_id", "identity", "code_postal", "needs",
    "availability", "languages", "skills", "capacity", "active_families", "status",
    "honorability", "revision", "applied_at", "updated_at", "honorability_valid_until",
)  # fmt: skip
