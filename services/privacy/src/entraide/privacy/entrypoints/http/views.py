"""A case as the officer's API and pages show it."""

from datetime import datetime
from typing import Any

from entraide.privacy.domain.cases import Case, awaiting_correction, missing, overdue

Doc = dict[str, Any]


def case_view(case: Case, now: datetime) -> Doc:
    """A case as the officer sees it: acknowledgements with counts, never exported data."""
    return {
        "case_id": case.case_id,
        "kind": case.kind.value,
        "subject_ref": case.subject_ref,
        "subject_kind": case.subject_kind.value,
        "status": case.status.value,
        "opened_at": case.opened_at.isoformat(),
        "deadline": case.deadline.isoformat(),
        "overdue": overdue(case, now),
        "services": list(case.services),
        "acks": {
            s: {"at": a.at.isoformat(), "counts": dict(a.counts)} for s, a in case.acks.items()
        },
        "missing": missing(case),
        "sends": case.sends,
        "decision": case.decision,
        "closed_at": case.closed_at.isoformat() if case.closed_at else None,
        # a rectification flagged on the record, until its owner says it is corrected
        "awaiting_correction": awaiting_correction(case),
        "rectified_at": case.rectified.at.isoformat() if case.rectified else None,
    }


def journal(trail: list[Doc], view: Doc) -> list[Doc]:
    """The case's trail for its page: an access answer recorded before its part was counted
    says what the table of answers says (the part counted since)."""
    acks = view["acks"]
    return [
        e | {"counts": acks[e["service"]]["counts"]}
        if e.get("action") == "ack-received" and not e.get("counts") and e.get("service") in acks
        else e
        for e in trail
    ]
