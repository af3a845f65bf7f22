"""Supply: the offers and volunteers open in each month, from directory's state topics.

Both topics carry each offer's or volunteer's latest state. The observatory remembers each
one's state (a volunteer's under the pseudonymous reference, so erasure reaches it) and
the months it was already counted in: a supplier counts once per month, in the state it
first showed that month. The facts carry no reference.
"""

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from entraide.contracts.events import (
    EventData,
    OfferState,
    OfferUpdated,
    OfferWithdrawn,
    VolunteerAvailability,
)
from entraide.observatory.domain.facts import Fact, FactKind, days_between, month_of


class SupplierKind(StrEnum):
    OFFER = "offer"
    VOLUNTEER = "volunteer"


@dataclass(frozen=True)
class Supplier:
    """An offer or a volunteer, as last seen."""

    kind: SupplierKind
    key: str  # the offer id, or the volunteer's pseudonymous reference
    association: str
    departements: tuple[str, ...]
    needs: tuple[str, ...]
    places: int
    active: bool = True
    honorability_pending: bool = False
    months: tuple[str, ...] = ()
    approval_counted: bool = False  # a volunteer's approval is counted once

    def facts(self, month: str) -> tuple[Fact, ...]:
        """The facts of this supplier in `month` (one per département an offer covers)."""
        fact_kind = FactKind.OFFER if self.kind is SupplierKind.OFFER else FactKind.VOLUNTEER
        return tuple(
            Fact(
                kind=fact_kind,
                month=month,
                departement=departement,
                association=self.association,
                needs=self.needs,
                outcome="active" if self.active else "paused",
                places=self.places if self.active else 0,
                flag=self.honorability_pending,
            )
            for departement in self.departements
        )


@dataclass(frozen=True)
class SupplyStep:
    supplier: Supplier | None  # None: forget it (withdrawn)
    facts: tuple[Fact, ...] = ()


def supplier_of(event: EventData) -> tuple[SupplierKind, str] | None:
    """Which supplier an event is about, None for other events."""
    if isinstance(event, OfferState | OfferWithdrawn):
        return SupplierKind.OFFER, event.offer_id
    if isinstance(event, VolunteerAvailability):
        return SupplierKind.VOLUNTEER, event.volunteer_ref
    return None


def supply_step(known: Supplier | None, event: EventData) -> SupplyStep:
    """A supplier's new state, counted in its month if it was not yet."""
    if isinstance(event, OfferWithdrawn):
        return SupplyStep(None)
    if isinstance(event, OfferState):
        at = event.updated_at if isinstance(event, OfferUpdated) else _published(event)
        now = Supplier(
            kind=SupplierKind.OFFER,
            key=event.offer_id,
            association=event.association_id,
            departements=tuple(sorted(event.departements)),
            needs=tuple(sorted(event.needs)),
            places=event.capacity or 0,
        )
        return counted(known, now, at)
    if isinstance(event, VolunteerAvailability):
        valid = event.honorability_valid_until
        now = Supplier(
            kind=SupplierKind.VOLUNTEER,
            key=event.volunteer_ref,
            association=event.association_id,
            departements=(event.departement,),
            needs=tuple(sorted(event.needs)),
            places=event.capacity,
            active=event.active,
            honorability_pending=valid is None or valid < event.changed_at.date(),
        )
        moved = counted(known, now, event.changed_at)
        if event.approved_at is None or (known is not None and known.approval_counted):
            return moved
        assert moved.supplier is not None
        approved = Fact(
            kind=FactKind.APPROVED,
            month=month_of(event.approved_at),
            departement=event.departement,
            association=event.association_id,
            needs=now.needs,
            days=days_between(event.applied_at, event.approved_at),
        )
        return SupplyStep(replace(moved.supplier, approval_counted=True), (*moved.facts, approved))
    return SupplyStep(known)


def _published(event: OfferState) -> datetime:
    at: datetime = getattr(event, "published_at")  # noqa: B009 (OfferPublished's field)
    return at


def counted(known: Supplier | None, now: Supplier, at: datetime) -> SupplyStep:
    """`now` replaces `known`; it yields facts if its month was not counted yet."""
    months = known.months if known is not None else ()
    month = month_of(at)
    done = known.approval_counted if known is not None else False
    if month in months:
        return SupplyStep(replace(now, months=months, approval_counted=done))
    return SupplyStep(
        replace(now, months=(*months, month)[-24:], approval_counted=done), now.facts(month)
    )


def carried(supplier: Supplier, month: str) -> SupplyStep:
    """A supplier with no event this month still counts in it (the monthly roll-over)."""
    if month in supplier.months:
        return SupplyStep(supplier)
    return SupplyStep(
        replace(supplier, months=(*supplier.months, month)[-24:]), supplier.facts(month)
    )
