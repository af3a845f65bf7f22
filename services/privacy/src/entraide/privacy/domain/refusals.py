"""When an erasure or access case must not be opened for a reference: it names nobody, a
subject erased already, or a subject of the other kind."""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from entraide.contracts.vocab import SubjectKind
from entraide.privacy.domain.cases import BROADCAST, CaseKind
from entraide.privacy.domain.keys import KeyTrace


@dataclass(frozen=True)
class KnownRef:
    """What privacy knows of a reference: the registry (fed by the topics) and the key
    vault (a family's key is made as intake records it, before any event arrives)."""

    registered: SubjectKind | None
    erased_at: datetime | None
    keys: tuple[KeyTrace, ...] = ()


class Refusal(StrEnum):
    """Why an erasure or access case is not opened for a reference."""

    UNKNOWN = "unknown-subject"  # names nobody: a typo, or the wrong reference
    ERASED = "already-erased"  # nothing left to erase or to export
    OTHER_KIND = "other-kind"  # a family's reference asked as a volunteer's, or back


def refusal(kind: CaseKind, subject_kind: SubjectKind, known: KnownRef) -> Refusal | None:
    """Why a case of `kind` for this reference must not be opened, if it must not: every
    service would answer with empty counts and the case would close as if done."""
    if kind not in BROADCAST:
        return None  # routed: the owner answers, or the officer decides
    live = known.registered is not None or any(k.live for k in known.keys)
    if not live:
        return Refusal.ERASED if known.erased_at or known.keys else Refusal.UNKNOWN
    kinds = {k.kind for k in known.keys if k.live}
    if known.registered is not None:
        kinds.add(known.registered.value)
    return None if subject_kind.value in kinds else Refusal.OTHER_KIND
