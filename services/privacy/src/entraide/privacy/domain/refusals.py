"""When a rights case must not be opened for a reference: it names nobody, a subject
erased already, or a subject of the other kind."""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from entraide.contracts.vocab import SubjectKind
from entraide.privacy.domain.keys import KeyTrace


@dataclass(frozen=True)
class KnownRef:
    """What privacy knows of a reference: the registry (fed by the topics) and the key
    vault (a family's key is made as intake records it, before any event arrives)."""

    registered: SubjectKind | None
    erased_at: datetime | None
    keys: tuple[KeyTrace, ...] = ()


class Refusal(StrEnum):
    """Why a rights case is not opened for a reference."""

    UNKNOWN = "unknown-subject"  # names nobody: a typo, or the wrong reference
    ERASED = "already-erased"  # nothing left to erase, export, rectify or object to
    OTHER_KIND = "other-kind"  # a family's reference asked as a volunteer's, or back


def refusal(subject_kind: SubjectKind, known: KnownRef) -> Refusal | None:
    """Why a rights case for this reference must not be opened, if it must not: every
    service (for a rectification or an objection, the owning one) would answer that it
    holds nothing, and the case would close as if done, of any kind."""
    live = known.registered is not None or any(k.live for k in known.keys)
    if not live:
        return Refusal.ERASED if known.erased_at or known.keys else Refusal.UNKNOWN
    kinds = {k.kind for k in known.keys if k.live}
    if known.registered is not None:
        kinds.add(known.registered.value)
    return None if subject_kind.value in kinds else Refusal.OTHER_KIND
