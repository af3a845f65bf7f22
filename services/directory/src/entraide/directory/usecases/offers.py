"""Offers' use cases, shared by the staff API and the pages: publish, update, withdraw;
search; the views families, staff and data·inclusion read."""

from datetime import UTC, datetime
from typing import Any

from entraide.directory.domain import places
from entraide.directory.domain.offers import search, views
from entraide.directory.domain.offers.fields import Freshness, OfferFields
from entraide.directory.domain.offers.offer import Offer
from entraide.directory.domain.records import ConflictError, ForbiddenError
from entraide.directory.usecases.access import check
from entraide.directory.usecases.ports import Cards, OfferDocuments, UnitOfWork
from entraide.kit.principal import Principal

__all__ = ["ConflictError", "ForbiddenError"]
STALEST_FIRST = [Freshness.HIDDEN, Freshness.REMINDER, Freshness.FRESH]


async def create_offer(
    uow: UnitOfWork,
    principal: Principal,
    fields: OfferFields,
    association_id: str | None = None,
) -> Offer:
    """Publish a new offer of the principal's association (or any, for the network)."""
    association_id = association_id or principal.association_id
    if association_id is None:
        raise ForbiddenError("no association")
    check(principal, association_id)
    offer = Offer.publish(association_id, fields, datetime.now(UTC))
    await uow.add(offer)
    return offer


async def update_offer(
    uow: UnitOfWork,
    principal: Principal,
    offer_id: str,
    fields: OfferFields,
    *,
    revision: int | None = None,
) -> Offer | None:
    """A new revision of the offer; None when it does not exist. With `revision` (the one
    the editor read), ConflictError when the offer is at another one: the editor's
    fields would undo a change they have not seen."""
    offer = await uow.offers.get(offer_id)
    if offer is None:
        return None
    check(principal, offer.association_id)
    if revision is not None and revision != offer.revision:
        raise ConflictError(offer_id)
    offer.update(fields, datetime.now(UTC))
    if not await uow.commit(offer):
        raise ConflictError(offer_id)
    return offer


async def confirm_offer(
    uow: UnitOfWork,
    principal: Principal,
    offer_id: str,
    *,
    revision: int,
    places_left: int | None = None,
) -> Offer | None:
    """The offer confirmed as it stands, through `update_offer` (dated now, a new revision,
    announced as any update); with `places_left`, its places left set too (its load, the
    capacity less those)."""
    offer = await uow.offers.get(offer_id)
    if offer is None:
        return None
    fields = offer.fields
    if places_left is not None and fields.capacity is not None:
        fields = fields.model_copy(update={"current_load": fields.capacity - places_left})
    return await update_offer(uow, principal, offer_id, fields, revision=revision)


async def withdraw_offer(uow: UnitOfWork, principal: Principal, offer_id: str) -> bool:
    """Withdraw the offer: the withdrawal event, then a tombstone for its key."""
    offer = await uow.offers.get(offer_id)
    if offer is None:
        return False
    check(principal, offer.association_id)
    offer.withdraw(datetime.now(UTC))
    if not await uow.commit(offer):
        raise ConflictError(offer_id)
    return True


async def find_offers(cards: Cards, query: search.Query) -> list[search.Hit]:
    """Search the cells within reach of the query's radius, then rank what fits."""
    return (await search_offers(cards, query)).hits


async def search_offers(cards: Cards, query: search.Query) -> search.Results:
    """One page of what fits, best first, and how many fit in all."""
    return search.results(await cards.near(query), query)


async def public_offer(offers: OfferDocuments, offer_id: str) -> dict[str, Any] | None:
    """What a family sees of an offer; None when unknown, withdrawn or for professionals."""
    doc = await offers.get(offer_id)
    if doc is None or doc["professionals_only"]:
        return None
    return views.public_offer(doc)


async def association_offers(offers: OfferDocuments, principal: Principal) -> list[dict[str, Any]]:
    """The principal's association's offers in their territories (the Nièvre's staff do not
    run the Nord's actions), with their freshness: those to update first (hidden, then to
    confirm), each part by name then commune in natural order (`Paris 2e` before
    `Paris 19e`)."""
    if principal.association_id is None:
        return []
    docs = [
        views.staff_offer(d)
        for d in await offers.of_association(principal.association_id)
        if covered(principal, d)
    ]
    docs.sort(
        key=lambda d: (
            STALEST_FIRST.index(d["fraicheur"]),
            places.natural_key(d["nom"]),
            places.natural_key(d["commune"]),
        )
    )
    return docs


def covered(principal: Principal, doc: dict[str, Any]) -> bool:
    """Whether an offer serves one of the principal's départements (an offer with no zone
    serves them all)."""
    zone = doc.get("zone_eligibilite") or []
    return not zone or any(principal.covers(doc["association_id"], code) for code in zone)


async def data_inclusion_services(offers: OfferDocuments) -> list[dict[str, Any]]:
    """Public offers in the data·inclusion services schema."""
    docs = await offers.all()
    return [views.data_inclusion_service(d) for d in docs if not d["professionals_only"]]
