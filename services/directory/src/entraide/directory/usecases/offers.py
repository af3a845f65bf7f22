"""Offers' use cases, shared by the staff API and the pages: publish, update, withdraw;
search; the views families, staff and data·inclusion read."""

import math
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from entraide.directory.domain.offers import listing, search, views
from entraide.directory.domain.offers.fields import Freshness, OfferFields
from entraide.directory.domain.offers.offer import Offer
from entraide.directory.domain.records import ConflictError, ForbiddenError
from entraide.directory.usecases.access import check
from entraide.directory.usecases.ports import (
    Cards,
    ListingPage,
    ListingQuery,
    OfferDocuments,
    OfferListing,
    UnitOfWork,
)
from entraide.kit.principal import Principal

__all__ = ["ConflictError", "ForbiddenError"]


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


@dataclass(frozen=True)
class Actions:
    """What the space shows: the page's actions as staff read them, the page's number (1
    first; past the last: the last) and how many pages, how many in the state asked, and
    in each state."""

    offers: list[dict[str, Any]]
    number: int
    pages: int
    total: int
    by_freshness: dict[str, int] = field(default_factory=dict)


async def association_actions(
    actions: OfferListing,
    principal: Principal,
    *,
    state: Freshness | None,
    number: int,
    now: datetime,
    size: int = listing.PAGE_SIZE,
) -> Actions:
    """Page `number` of the principal's association's actions (`_listed`), made views for
    the page's only; past the last page (actions withdrawn meanwhile), the last one."""
    number = max(number, 1)
    found, total = await _listed(
        actions, principal, state, now, start=(number - 1) * size, size=size
    )
    pages = max(1, math.ceil(total / size))
    if number > pages:
        number = pages
        found, total = await _listed(
            actions, principal, state, now, start=(number - 1) * size, size=size
        )
    shown = [views.staff_offer(d, now) for d in found.docs]
    return Actions(shown, number, pages, total, found.by_freshness)


@dataclass(frozen=True)
class Stretch:
    """What the API answers: the actions after a mark as staff read them, the mark after
    the last of them (None: none comes after), the counts."""

    offers: list[dict[str, Any]]
    next: listing.Mark | None
    total: int
    by_freshness: dict[str, int] = field(default_factory=dict)


async def actions_after(
    actions: OfferListing,
    principal: Principal,
    *,
    state: Freshness | None,
    after: listing.Mark | None,
    size: int,
    now: datetime,
) -> Stretch:
    """At most `size` of the principal's association's actions after the mark (from the
    first: in the order of `now`), made views for those only."""
    moment = after.now if after is not None else now  # the parts as they were at the start
    found, total = await _listed(actions, principal, state, moment, size=size + 1, after=after)
    docs = found.docs[:size]  # one more read than shown: whether any come after
    following = listing.mark_of(docs[-1], moment) if len(found.docs) > size else None
    shown = [views.staff_offer(d, now) for d in docs]
    return Stretch(shown, following, total, found.by_freshness)


async def _listed(
    actions: OfferListing,
    principal: Principal,
    state: Freshness | None,
    now: datetime,
    *,
    size: int,
    start: int = 0,
    after: listing.Mark | None = None,
) -> tuple[ListingPage, int]:
    """The principal's association's actions in their territories (the Nièvre's staff do
    not run the Nord's) in `state` (None: all), those to update first
    (`domain.offers.listing`): `size` from `start` or after the mark, and how many in the
    state asked; none for a principal of no association."""
    association_id = principal.association_id
    if association_id is None:
        return ListingPage([], {}), 0
    asked = state.value if state else None
    query = ListingQuery(association_id, principal.territories, asked, now, start, size, after)
    found = await actions.page(query)
    total = found.by_freshness.get(asked, 0) if asked else sum(found.by_freshness.values())
    return found, total


async def data_inclusion_services(offers: OfferDocuments) -> AsyncIterator[dict[str, Any]]:
    """Public offers in the data·inclusion services schema, one at a time."""
    async for doc in offers.every():
        if not doc["professionals_only"]:
            yield views.data_inclusion_service(doc)
