"""Matching's answer to privacy's commands (erasure, access).

Added by the privacy work (issue 6). Matching holds no identity, only what the topics
carry, keyed by pseudonymous references: every document naming the subject's
`family_ref` or `volunteer_ref` (request views, matches, proposals, support pool) is
deleted on erasure and exported on access, whatever collection it lives in, so new
read models are covered as they appear. Outbox entries inside a deleted document go
with it.
"""

from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from entraide.kit.rights import ReferencedDocuments


class MatchingRights(ReferencedDocuments):
    """Also the documents keyed by the reference rather than naming it in a field: a
    volunteer's read model (`volunteers`, its `_id` the reference: availability, needs,
    postal code, languages) and its places (`places`, `volunteer:<ref>`: the matches
    holding them). Without them an access export left them out and an erasure left the
    places behind."""

    def _query(self, ref: str) -> dict[str, Any]:
        named: list[dict[str, Any]] = super()._query(ref)["$or"]
        return {"$or": [*named, {"_id": {"$in": [ref, f"volunteer:{ref}"]}}]}


def rights_handler(db: AsyncDatabase[dict[str, Any]]) -> ReferencedDocuments:
    return MatchingRights(db)
