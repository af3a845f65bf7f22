"""The supports a volunteer has, as directory hears them on the matches topic: what the
volunteer's space shows them (« Mes accompagnements »).

One document per match proposed to a volunteer known here, its id the match's: the
volunteer's reference, their association, the kind of help and the family's département
(what the proposal's e-mail told them), and where the match stands (proposed, accepted,
started, with when). Nothing of the family: no reference, request or name. A match that
ends (declined, expired, closed) is deleted: the space shows the supports under way, not a
history. Its `volunteer_ref` field puts it in the volunteer's access export and erasure
(`kit.rights`).
"""

from datetime import datetime
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

from entraide.contracts.events import MatchProposed

Doc = dict[str, Any]
COLLECTION = "volunteer_supports"
CURRENT = ("accepted", "started")
# which states a move may come from: a redelivered event never takes a match back
FROM = {"accepted": ["proposed"], "started": ["proposed", "accepted"]}


class VolunteerSupports:
    """Volunteers' matches, proposed and under way."""

    def __init__(self, db: AsyncDatabase[Doc]) -> None:
        self.collection: AsyncCollection[Doc] = db[COLLECTION]

    async def ensure_indexes(self) -> None:
        await self.collection.create_index("volunteer_ref")

    async def proposed(self, proposal: MatchProposed) -> None:
        """A volunteer's proposal (once however often it comes)."""
        doc = {
            "volunteer_ref": proposal.volunteer_ref,
            "association_id": proposal.association_id,
            "needs": list(proposal.needs or []),
            "departement": proposal.departement,
            "state": "proposed",
            "proposed_at": proposal.proposed_at,
        }
        await self.collection.update_one(
            {"_id": proposal.match_id}, {"$setOnInsert": doc}, upsert=True
        )

    async def moved(self, match_id: str, state: str, at: datetime) -> None:
        """Accepted or started: noted with when; any other state ends it here."""
        if state not in FROM:
            await self.collection.delete_one({"_id": match_id})
            return
        await self.collection.update_one(
            {"_id": match_id, "state": {"$in": FROM[state]}},
            {"$set": {"state": state, f"{state}_at": at}},
        )

    async def current(self, volunteer_ref: str) -> list[Doc]:
        """The volunteer's supports under way, the oldest first."""
        query = {"volunteer_ref": volunteer_ref, "state": {"$in": list(CURRENT)}}
        return await self.collection.find(query).sort("accepted_at", 1).to_list()
