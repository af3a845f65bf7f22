"""Matching's documents and the domain's records, both ways (a match, a history), a
person's scope as a query, and the one bulk insert that tells which documents were
refused as duplicates."""

from typing import Any

from entraide.matching.domain.model import History, Match
from entraide.matching.usecases.access import Scope

Doc = dict[str, Any]


def scope_query(scope: Scope) -> Doc:
    """A person's scope (`usecases.access`) as a store query."""
    query: Doc = {}
    if scope.territories:
        query["departement"] = {"$in": list(scope.territories)}
    if not scope.network_wide:
        query["association_id"] = scope.association_id
    return query


def state_query(states: list[str]) -> Doc:
    """Matches in one of these states."""
    return {"state": states[0] if len(states) == 1 else {"$in": states}}


def document_of(match: Match) -> Doc:
    """A new match's document (its outbox fields apart)."""
    return {
        "_id": match.match_id,
        "request_id": match.request_id,
        "family_ref": match.family_ref,
        "support_key": match.support_key,
        "association_id": match.association_id,
        "departement": match.departement,
        "needs": list(match.needs),
        "urgency": match.urgency,
        "state": match.state,
        "score": match.score,
        "breakdown": match.breakdown,
        "reasons": list(match.reasons),
        "distance_km": match.distance_km,
        "proposed_by": match.proposed_by,
        "proposed_at": match.proposed_at,
        "expires_at": match.expires_at,
        "check_ins": [],
    }


def match_of(doc: Doc) -> Match:
    return Match(
        match_id=doc["_id"],
        request_id=doc["request_id"],
        family_ref=doc["family_ref"],
        support_key=doc["support_key"],
        association_id=doc["association_id"],
        departement=doc["departement"],
        needs=tuple(doc["needs"]),
        urgency=doc["urgency"],
        state=doc["state"],
        score=doc["score"],
        breakdown=doc["breakdown"],
        reasons=tuple(doc["reasons"]),
        distance_km=doc.get("distance_km"),
        proposed_by=doc["proposed_by"],
        proposed_at=doc["proposed_at"],
        expires_at=doc["expires_at"],
        outcome=doc.get("outcome"),
        started_at=doc.get("started_at"),
        check_ins=tuple(c["kind"] for c in doc.get("check_ins", ())),
    )


def history_of(doc: Doc) -> History:
    return History(frozenset(doc.get("refused", ())), frozenset(doc.get("known", ())))
