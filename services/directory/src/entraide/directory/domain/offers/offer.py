"""An offer as the use cases change it: each change queues the events it announces; the
unit of work (`usecases.ports.UnitOfWork`) writes the new state and those events in one
document write, guarded by the revision the offer was read at. Pure: no I/O."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from entraide.contracts import new_event
from entraide.directory.domain.offers import events as offer_events
from entraide.directory.domain.offers.fields import OfferFields, new_offer_id
from entraide.directory.domain.records import SOURCE, Outgoing, Tombstone


@dataclass
class Offer:
    """An association's offer: its fields, revision, and the events its changes queued."""

    id: str
    association_id: str
    fields: OfferFields
    revision: int
    created_at: datetime
    updated_at: datetime
    withdrawn: bool = False
    # what was stored when read (None for a new offer): the write's guard, the cards' move
    read_revision: int | None = field(default=None, compare=False)
    read_fields: OfferFields | None = field(default=None, compare=False)
    events: list[Outgoing] = field(default_factory=list, compare=False)

    @classmethod
    def publish(cls, association_id: str, fields: OfferFields, now: datetime) -> "Offer":
        offer = cls(new_offer_id(), association_id, fields, 1, now, now)
        offer._announce("published", now)
        return offer

    def update(self, fields: OfferFields, now: datetime) -> None:
        self.fields, self.revision, self.updated_at = fields, self.revision + 1, now
        self._announce("updated", now)

    def withdraw(self, now: datetime) -> None:
        """The withdrawal event, then a tombstone for its key."""
        event = offer_events.withdrawn_event(self.state(), at=now)
        self.events += [new_event(event, source=SOURCE, subject=self.id), Tombstone(self.id)]
        self.revision, self.withdrawn = self.revision + 1, True

    def state(self) -> dict[str, Any]:
        """The offer as the domain's functions read it (`events.offer_document`)."""
        return offer_events.offer_document(
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
        names = OfferFields.model_fields
        fields = OfferFields.model_construct(**{k: doc[k] for k in names if k in doc})
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
        event = offer_events.offer_event(self.state(), kind=kind, at=now)
        self.events.append(new_event(event, source=SOURCE, subject=self.id))
