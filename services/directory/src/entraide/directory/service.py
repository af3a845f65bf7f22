"""Directory's use cases for offers, shared by the staff API and the pages."""

from datetime import UTC, datetime

from entraide.directory import domain, search
from entraide.directory.model import SOURCE, ConflictError, ForbiddenError, Offer
from entraide.directory.ports import Cards, UnitOfWork
from entraide.kit.principal import Principal

__all__ = ["SOURCE", "ConflictError", "ForbiddenError"]


def check(principal: Principal, association_id: str) -> None:
    """ForbiddenError unless the principal may edit this association's records."""
    if not domain.may_edit(
        role=principal.role.value,
        own_association=principal.association_id,
        record_association=association_id,
    ):
        raise ForbiddenError(association_id)


async def create_offer(
    uow: UnitOfWork,
    principal: Principal,
    fields: domain.OfferFields,
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
    fields: domain.OfferFields,
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
