"""A case as the officer's API and pages show it."""

from datetime import datetime
from typing import Any

from entraide.privacy.domain.cases import Case, missing, overdue

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
    }
