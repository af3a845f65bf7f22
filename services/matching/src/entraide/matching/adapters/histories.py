"""Histories (`histories`, `_id` = request id): which supports must not be offered to a
request again and which associations the family knows; the first proposal to each."""

from typing import Any

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

from entraide.kit.bulk import inserted_but
from entraide.matching.adapters.documents import history_of
from entraide.matching.domain.model import History

Doc = dict[str, Any]


class Histories:
    """The histories part of `MatchStore`."""

    histories: AsyncCollection[Doc]

    async def history(self, request_id: str) -> History:
        return history_of(await self.histories.find_one({"_id": request_id}) or {})

    async def histories_of(self, request_ids: list[str]) -> dict[str, History]:
        found = self.histories.find({"_id": {"$in": request_ids}})
        return {doc["_id"]: history_of(doc) async for doc in found}

    async def first_proposal(self, request_id: str) -> bool:
        """Note that the request had a proposal; True the first time only."""
        try:
            await self.histories.insert_one({"_id": request_id})
        except DuplicateKeyError:
            return False
        return True

    async def first_proposals(self, request_ids: list[str]) -> set[str]:
        """`first_proposal` for several requests in one write: those proposed to first."""
        if not request_ids:
            return set()
        refused = await inserted_but(self.histories, [{"_id": i} for i in request_ids])
        return {i for n, i in enumerate(request_ids) if n not in refused}

    async def remember(
        self, request_id: str, *, refused: str | None = None, known: str | None = None
    ) -> None:
        """Note a support not to offer this request again, or an association it now knows."""
        add = {k: v for k, v in (("refused", refused), ("known", known)) if v}
        if add:
            await self.histories.update_one({"_id": request_id}, {"$addToSet": add}, upsert=True)
