"""An offer as stored and as matching hears of it (its compacted topic). Pure: no I/O."""

from datetime import datetime
from typing import Any, Literal

from entraide.contracts.events import OfferPublished, OfferUpdated, OfferWithdrawn
from entraide.directory.domain.offers.fields import OfferFields
from entraide.directory.domain.offers.listing import sort_key


def offer_document(
    offer_id: str,
    association_id: str,
    fields: OfferFields,
    *,
    revision: int,
    now: datetime,
    created_at: datetime | None = None,
) -> dict[str, Any]:
    """The stored state of an offer (without its outbox), with its place in the
    association's list (`listing.sort_key`)."""
    return {
        "_id": offer_id,
        "association_id": association_id,
        "revision": revision,
        **fields.model_dump(mode="json"),
        "needs": [n.value for n in fields.needs],
        "sort_key": sort_key(fields.nom, fields.commune),
        "created_at": created_at or now,
        "updated_at": now,
    }


def offer_event(
    doc: dict[str, Any], *, kind: Literal["published", "updated"], at: datetime
) -> OfferPublished | OfferUpdated:
    """What matching hears of an offer: its latest state, keyed by the offer id."""
    state = {
        "offer_id": doc["_id"],
        "association_id": doc["association_id"],
        "revision": doc["revision"],
        "nom": doc["nom"],
        "thematiques": doc["thematiques"],
        "publics": doc["publics"],
        "needs": doc["needs"],
        "departements": doc["zone_eligibilite"],
        "postal_code": doc["code_postal"],
        "age_min": doc["age_min"],
        "age_max": doc["age_max"],
        "capacity": doc["capacity"],
        "current_load": doc["current_load"],
        "professionals_only": doc["professionals_only"],
    }
    if kind == "published":
        return OfferPublished(**state, published_at=at)
    return OfferUpdated(**state, updated_at=at)


def withdrawn_event(doc: dict[str, Any], *, at: datetime) -> OfferWithdrawn:
    return OfferWithdrawn(
        offer_id=doc["_id"],
        association_id=doc["association_id"],
        revision=doc["revision"] + 1,
        withdrawn_at=at,
    )
