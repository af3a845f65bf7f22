"""The « case-opened » entry of a case's audit trail, under an id of its own (the case's
and the action's): written as the case opens, written again where a stop after the case's
insert left it unwritten (the person's code typed again, the pass once the code expired;
for every case, the watchdog's first resend, its command having waited on the entry),
and never twice, the trail keeping one entry an id (as the person's « contact prouvé »
entry, written by the code sent twice at once)."""

from collections.abc import Sequence
from datetime import datetime

from entraide.privacy.domain.cases import Case
from entraide.privacy.usecases.ports import AuditLog, Row

OPENED = "case-opened"
UNKNOWN = "privacy"  # the actor of a case stored before its opener was kept on it


def entry_id(case_id: str, action: str) -> str:
    """The id of the case's one entry of `action`."""
    return f"{case_id}:{action}"


def once(case_id: str, action: str, *, actor: str, at: datetime, **details: str) -> Row:
    """The case's one entry of `action`, under its own id: written twice, kept once."""
    entry = {"at": at, "case_id": case_id, "action": action, "actor": actor}
    return {"_id": entry_id(case_id, action)} | entry | details


def opened(case: Case, *, actor: str) -> Row:
    """The case's « case-opened » entry: when, by whom, its kind and reason (no subject)."""
    kind, reason = case.kind.value, case.reason.value
    return once(case.case_id, OPENED, actor=actor, at=case.opened_at, kind=kind, reason=reason)


async def restore(audit: AuditLog, case: Case, trail: Sequence[Row], *, actor: str) -> None:
    """Write the case's « case-opened » entry if its trail lacks it (a stop before it)."""
    if not any(e["action"] == OPENED for e in trail):
        await audit.record_many([opened(case, actor=actor)])


async def restore_unsent(audit: AuditLog, due: Sequence[Case]) -> None:
    """The entries of the watchdog's cases never resent (a stop before their entry kept
    their command too), written if missing, as their opener's (`Case.opened_by`)."""
    for case in due:
        if case.sends <= 1:
            trail = await audit.of_case(case.case_id)
            await restore(audit, case, trail, actor=case.opened_by or UNKNOWN)
