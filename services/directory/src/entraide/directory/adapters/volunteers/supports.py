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

from collections.abc import Sequence
from typing import Any

from pymongo import DeleteOne, UpdateOne
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

from entraide.contracts.events import MatchProposed
from entraide.directory.usecases.ports import SupportMove

Doc = dict[str, Any]
Change = MatchProposed | SupportMove
Write = UpdateOne | DeleteOne
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

    async def heard(self, changes: Sequence[Change]) -> None:
        """A batch's proposals and moves in one ordered bulk write (`in_rounds`)."""
        writes = [write(change) for change in in_rounds(changes)]
        if writes:
            await self.collection.bulk_write(writes, ordered=True)

    async def current(self, volunteer_ref: str) -> list[Doc]:
        """The volunteer's supports under way, the oldest first."""
        query = {"volunteer_ref": volunteer_ref, "state": {"$in": list(CURRENT)}}
        return await self.collection.find(query).sort("accepted_at", 1).to_list()


def write(change: Change) -> Write:
    """A proposal is inserted once however often it comes; accepted or started is noted
    with when, from the states it may come from (a move before its proposal finds
    nothing); any other state ends it here."""
    if isinstance(change, MatchProposed):
        doc = {
            "volunteer_ref": change.volunteer_ref,
            "association_id": change.association_id,
            "needs": list(change.needs or []),
            "departement": change.departement,
            "state": "proposed",
            "proposed_at": change.proposed_at,
        }
        return UpdateOne({"_id": change.match_id}, {"$setOnInsert": doc}, upsert=True)
    if ends(change):
        return DeleteOne({"_id": change.match_id})
    return UpdateOne(
        {"_id": change.match_id, "state": {"$in": FROM[change.state]}},
        {"$set": {"state": change.state, f"{change.state}_at": change.at}},
    )


def ends(change: Change) -> bool:
    """Whether the change deletes its match (declined, expired, closed)."""
    return isinstance(change, SupportMove) and change.state not in FROM


def in_rounds(changes: Sequence[Change]) -> list[Change]:
    """The changes in an order that keeps each match's own and alternates as little as it
    can between updates and deletes: an ordered bulk write sends one command per run of
    one kind, so a batch is one `update` and one `delete` unless a match is written again
    after it ended (a replay). Round r holds updates when even, deletes when odd; a
    match's change goes in its last round while of the same kind, else in the next."""
    rounds: list[list[Change]] = []
    last: dict[str, int] = {}  # each match's last round
    for change in changes:
        kind = int(ends(change))
        was = last.get(change.match_id)
        r = kind if was is None else was if was % 2 == kind else was + 1
        rounds.extend([] for _ in range(r + 1 - len(rounds)))
        rounds[r].append(change)
        last[change.match_id] = r
    return [change for changes_of_round in rounds for change in changes_of_round]
