"""Privacy's own answer to its commands: what the registry holds of the subject.

Erasure destroys every key of the subject in the vault first (as intake and directory
destroy theirs first: every sealed copy, backups included, unreadable at once), counts the
subject in the anonymous statistics, leaves a tombstone (so a late event cannot bring it
back) and deletes its registry entry and warnings; the cases and the audit trail stay:
they hold the pseudonymous reference, never an identity.

Why here and not only when the case closes (`Rights.close_if_complete` destroys them again,
with any key made since): after a restore to a point before the erasure, its case is gone
with the rest of privacy's database, so no case closes; the command replayed from the
topic (deploy/RUNBOOK.md) reaches this answer, which destroys the keys the backup brought
back. No service's own erasure needs the subject's keys: intake and directory destroy
theirs before deleting, matching and the observatory hold nothing sealed.
"""

from datetime import datetime
from typing import Any

from entraide.contracts.events import AccessRequested, ErasureRequested
from entraide.privacy.domain.cases import Case
from entraide.privacy.domain.subjects import Notice, Subject, erasure_count
from entraide.privacy.usecases.cases import Rights
from entraide.privacy.usecases.ports import Notices, Subjects

Doc = dict[str, Any]


class PrivacyRights:
    """The `RightsHandler` the kit's `register_rights` subscribes for privacy."""

    def __init__(self, subjects: Subjects, notices: Notices, rights: Rights) -> None:
        self.subjects, self.notices, self.rights = subjects, notices, rights

    async def erase(self, command: ErasureRequested) -> dict[str, int]:
        at = self.rights.clock()
        ref = command.subject_ref
        keys = await self.rights.vault.destroy_subject(ref)  # idempotent: 0 once done
        subject = await self.subjects.get(ref)
        await self.subjects.tombstone(ref, case_id=command.case_id, at=at)
        erased = 0
        if subject is not None:
            await self.subjects.count_erasure(erasure_count(subject, command.reason, at))
            erased = await self.subjects.delete(ref)
        counts = {"subjects": erased, "notices": await self.notices.forget(ref)}
        return counts | ({"keys": keys} if keys else {})

    async def export(self, command: AccessRequested) -> Doc:
        subject = await self.subjects.get(command.subject_ref)
        notices = await self.notices.of_subject(command.subject_ref)
        cases = await self.rights.of_subject(command.subject_ref)
        part: Doc = _jsonable(
            {
                "subject": None if subject is None else _subject_part(subject),
                "notices": [_notice_part(n) for n in notices],
                "cases": [_case_part(c) for c in cases],
            }
        )
        return part


def _subject_part(subject: Subject) -> Doc:
    """What the registry holds of the subject, under the names it has always had."""
    part: Doc = {
        "_id": subject.ref,
        "kind": subject.kind.value,
        "first_seen_at": subject.first_seen_at,
        "last_contact_at": subject.last_contact_at,
        "departement": subject.departement,
        "contact_channels": list(subject.contact_channels),
        "consent_to_matching": subject.consent_to_matching,
        "consent_at": subject.consent_at,
        "warned": dict(subject.warned),
    }
    return {k: v for k, v in part.items() if v not in (None, [], {})}


def _notice_part(notice: Notice) -> Doc:
    return {
        "subject_ref": notice.subject_ref,
        "warning": notice.warning,
        "channels": list(notice.channels),
        "expires_at": notice.expires_at,
        "due_at": notice.due_at,
        "sent_at": notice.sent_at,
    }


def _case_part(case: Case) -> Doc:
    return {
        "_id": case.case_id,
        "kind": case.kind.value,
        "opened_at": case.opened_at,
        "deadline": case.deadline,
        "status": case.status.value,
    }


def _jsonable(value: Any) -> Any:
    """JSON values: dates as ISO 8601 (the kit's `jsonable` would bring its store along)."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    return value
