"""The `Supports` port over matching's read models of volunteers and offers: their
documents become the domain's supports."""

from datetime import date
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from entraide.contracts.geography import locate
from entraide.matching.domain.model import Support

Doc = dict[str, Any]


def volunteer_support(ref: str, doc: Doc, load: int) -> Support:
    valid = doc.get("honorability_valid_until")
    return Support(
        key=f"volunteer:{ref}",
        association_id=doc["association_id"],
        needs=frozenset(doc["needs"]),
        departements=frozenset({doc["departement"]}),
        location=locate(doc["postal_code"], doc["departement"]),
        capacity=doc["capacity"],
        load=load,
        one_to_one=True,
        slots=frozenset((s["day"], s["part"]) for s in doc.get("availability", [])),
        languages=frozenset(doc.get("languages", [])),
        active=doc.get("active", True),
        honorability_valid_until=date.fromisoformat(valid) if isinstance(valid, str) else valid,
        skills=frozenset(doc.get("skills", [])),
    )


def offer_support(offer_id: str, doc: Doc, load: int) -> Support:
    postal_code = doc.get("postal_code")
    return Support(
        key=f"offer:{offer_id}",
        association_id=doc["association_id"],
        needs=frozenset(doc["needs"]),
        departements=frozenset(doc["departements"]),
        location=locate(postal_code) if postal_code else None,
        capacity=doc.get("capacity"),
        load=load,
        one_to_one=False,
        age_min=doc.get("age_min"),
        age_max=doc.get("age_max"),
    )


class ReadModelSupports:
    """The `Supports` port over matching's read models of volunteers and offers."""

    def __init__(self, db: AsyncDatabase[Doc]) -> None:
        self.db = db

    async def every(self, held: dict[str, int]) -> list[Support]:
        supports: list[Support] = []
        async for doc in self.db["volunteers"].find({"active": True}):
            key = f"volunteer:{doc['_id']}"
            supports.append(volunteer_support(doc["_id"], doc, held.get(key, 0)))
        async for doc in self.db["offers"].find({}):
            supports.append(offer_support(doc["_id"], doc, held.get(f"offer:{doc['_id']}", 0)))
        return supports

    async def one(self, key: str, load: int) -> Support | None:
        kind, ref = key.split(":", 1)
        volunteer = kind == "volunteer"
        doc = await self.db["volunteers" if volunteer else "offers"].find_one({"_id": ref})
        if doc is None:
            return None
        return volunteer_support(ref, doc, load) if volunteer else offer_support(ref, doc, load)
