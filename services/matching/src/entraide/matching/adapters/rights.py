"""Matching's answer to privacy's commands (erasure, access).

Added by the privacy work (issue 6). Matching holds no identity, only what the topics
carry, keyed by pseudonymous references: every document naming the subject's reference
where `REFS` and `KEYED` declare it (request views, matches, waitlist, follow-ups, logged
contacts, messages; a volunteer's read model and places) is deleted on erasure and
exported on access, by indexed queries. A new read model naming someone is declared
here: the integration tests fail on one that is not (`tests/rights_support.py`). Outbox
entries inside a deleted document go with it.

A family's match still open when the family is erased does not vanish: its coordinators
would never learn why a volunteer's family stopped answering. It becomes a closed match
without anything of the family (no reference, request, score or reasons: the support,
the association, the département, the kind of help and its dates), and its place is
given back.

A volunteer erased while families count on them is a support gone: once their read model
is deleted, `support_gone` (the engine's `support_changed`) ends their open matches as
« Bénévole devenu indisponible », announced, and proposes those families to someone else.
Without it the families kept a match with nobody behind it, which also kept them from
being proposed again.
"""

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from entraide.contracts.events import ErasureRequested
from entraide.contracts.vocab import SubjectKind
from entraide.kit.rights import ReferencedDocuments
from entraide.matching.adapters.places import OPEN_STATES
from entraide.matching.domain.lifecycle import FAMILY_ERASED, State

Doc = dict[str, Any]
# what an erased family's open match keeps: the support's side, nothing of the family
KEPT = (
    "support_key",
    "association_id",
    "departement",
    "needs",
    "proposed_at",
    "accepted_at",
    "started_at",
)
# the collections naming a family, and the notifier's messages (`recipient_ref`)
REFS = {
    "requests": ("family_ref",),
    "matches": ("family_ref",),
    "waitlist": ("family_ref",),
    "followups": ("family_ref",),
    "contacts": ("family_ref",),
    "notifications": ("recipient_ref",),
}
# those keyed by a volunteer's reference: their read model, their places
KEYED = {"volunteers": "{}", "places": "volunteer:{}"}


class MatchingRights(ReferencedDocuments):
    """Also the documents keyed by the reference rather than naming it in a field: a
    volunteer's read model (`volunteers`, its `_id` the reference: availability, needs,
    postal code, languages) and its places (`places`, `volunteer:<ref>`: the matches
    holding them). Without them an access export left them out and an erasure left the
    places behind."""

    def __init__(
        self,
        db: AsyncDatabase[Doc],
        *,
        support_gone: Callable[[str, int | None, bool], Awaitable[None]] | None = None,
    ) -> None:
        super().__init__(db, refs=REFS, keyed=KEYED)
        self.support_gone = support_gone

    async def erase(self, command: ErasureRequested) -> dict[str, int]:
        ended = 0
        if command.subject_kind is SubjectKind.FAMILY:
            ended = await self._end_open_matches(command.subject_ref)
        counts = await super().erase(command)
        if ended:
            counts["matches"] = counts.get("matches", 0) + ended
        if command.subject_kind is SubjectKind.VOLUNTEER and self.support_gone:
            await self.support_gone(f"volunteer:{command.subject_ref}", None, False)
        return counts

    async def _end_open_matches(self, family_ref: str) -> int:
        """Turn the family's open matches into closed ones naming nothing of it; how many.
        A match moved meanwhile (guarded by its state) is deleted with the rest."""
        matches, ended, now = self.db["matches"], 0, datetime.now(UTC)
        query = {"family_ref": family_ref, "state": {"$in": OPEN_STATES}}
        for doc in await matches.find(query).to_list():
            kept: Doc = {k: doc[k] for k in KEPT if k in doc}
            ending = {"state": State.CLOSED.value, "outcome": FAMILY_ERASED, "closed_at": now}
            guard = {"_id": doc["_id"], "state": doc["state"]}
            if (await matches.replace_one(guard, kept | ending)).modified_count != 1:
                continue
            ended += 1
            taken = {"$pull": {"taken": {"match_id": doc["_id"]}}}
            await self.db["places"].update_one({"_id": doc["support_key"]}, taken)
        return ended


def rights_handler(
    db: AsyncDatabase[dict[str, Any]],
    support_gone: Callable[[str, int | None, bool], Awaitable[None]] | None = None,
) -> MatchingRights:
    return MatchingRights(db, support_gone=support_gone)
