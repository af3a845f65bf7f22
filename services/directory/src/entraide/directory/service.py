"""Directory's use cases for offers, shared by the staff API and the pages."""

from datetime import UTC, datetime
from typing import Any

from entraide.contracts import new_event
from entraide.contracts.kit.principal import Principal
from entraide.directory import domain, search
from entraide.directory.associations import name_of
from entraide.directory.outbox import entry, tombstone
from entraide.directory.store import OfferStore, search_collections

SOURCE = "/entraide/directory"


class ForbiddenError(Exception):
    """The principal may not touch this association's records."""


class ConflictError(Exception):
    """Someone changed the offer meanwhile: reload and try again."""


def _check(principal: Principal, association_id: str) -> None:
    if not domain.may_edit(
        role=principal.role.value,
        own_association=principal.association_id,
        record_association=association_id,
    ):
        raise ForbiddenError(association_id)


async def create_offer(
    store: OfferStore,
    principal: Principal,
    fields: domain.OfferFields,
    association_id: str | None = None,
) -> dict[str, Any]:
    """Publish a new offer of the principal's association (or any, for the network)."""
    association_id = association_id or principal.association_id
    if association_id is None:
        raise ForbiddenError("no association")
    _check(principal, association_id)
    now = datetime.now(UTC)
    doc = domain.offer_document(domain.new_offer_id(), association_id, fields, revision=1, now=now)
    event = new_event(
        domain.offer_event(doc, kind="published", at=now), source=SOURCE, subject=doc["_id"]
    )
    await store.insert(doc, [entry(event, store.topic)], search.card(doc, name_of(association_id)))
    return doc


async def update_offer(
    store: OfferStore,
    principal: Principal,
    offer_id: str,
    fields: domain.OfferFields,
    *,
    revision: int | None = None,
) -> dict[str, Any] | None:
    """A new revision of the offer; None when it does not exist. With `revision` (the one
    the editor read), ConflictError when the offer is at another one: the editor's
    fields would undo a change they have not seen."""
    previous = await store.get(offer_id)
    if previous is None:
        return None
    _check(principal, previous["association_id"])
    if revision is not None and revision != previous["revision"]:
        raise ConflictError(offer_id)
    now = datetime.now(UTC)
    doc = domain.offer_document(
        offer_id,
        previous["association_id"],
        fields,
        revision=previous["revision"] + 1,
        now=now,
        created_at=previous["created_at"],
    )
    event = new_event(
        domain.offer_event(doc, kind="updated", at=now), source=SOURCE, subject=offer_id
    )
    card = search.card(doc, name_of(doc["association_id"]))
    if not await store.replace(doc, [entry(event, store.topic)], card, previous):
        raise ConflictError(offer_id)
    return doc


async def withdraw_offer(store: OfferStore, principal: Principal, offer_id: str) -> bool:
    """Withdraw the offer: the withdrawal event, then a tombstone for its key."""
    previous = await store.get(offer_id)
    if previous is None:
        return False
    _check(principal, previous["association_id"])
    event = new_event(
        domain.withdrawn_event(previous, at=datetime.now(UTC)), source=SOURCE, subject=offer_id
    )
    if not await store.delete(
        previous, [entry(event, store.topic), tombstone(store.topic, offer_id)]
    ):
        raise ConflictError(offer_id)
    return True


async def find_offers(store: OfferStore, query: search.Query) -> list[search.Hit]:
    """Search the cells within reach of the query's radius, then rank what fits."""
    collections = search_collections(
        query.latitude, query.longitude, query.radius_km, query.departement
    )
    return search.rank(await store.cards(collections), query)
