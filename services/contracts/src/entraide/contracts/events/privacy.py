"""Privacy's events: rights commands and their acknowledgements."""

from datetime import date, datetime
from typing import ClassVar, Literal

from pydantic import Field

from entraide.contracts.events.common import EventData, Ref
from entraide.contracts.vocab import (
    ErasureReason,
    SubjectKind,
)


class PrivacyCommand(EventData):
    case_id: Ref
    subject_ref: Ref
    subject_kind: SubjectKind
    deadline: datetime


class ErasureRequested(PrivacyCommand):
    EVENT_TYPE: ClassVar[str] = "fr.entraide.privacy.erasure-requested.v1"
    reason: ErasureReason


class AccessRequested(PrivacyCommand):
    EVENT_TYPE: ClassVar[str] = "fr.entraide.privacy.access-requested.v1"
    recipient_key: str | None = Field(
        None, description="The case's X25519 public key (base64): services seal their part to it."
    )


class ObjectionRequested(PrivacyCommand):
    """The subject objects to the processing: the owning service stops it (for a family,
    intake records the consent to matching withdrawn) and acknowledges."""

    EVENT_TYPE: ClassVar[str] = "fr.entraide.privacy.objection-requested.v1"


class RectificationRequested(PrivacyCommand):
    """The subject asks for a correction: the owning service puts it in its staff's hands
    (flagged on the record) and acknowledges."""

    EVENT_TYPE: ClassVar[str] = "fr.entraide.privacy.rectification-requested.v1"


class RectificationWithdrawn(EventData):
    """The officer closed a rectification before the record was corrected (`decision`:
    refused, not-applicable...): the owning service takes the case's flag off its record,
    and sends no completion; the others ignore it. No acknowledgement."""

    EVENT_TYPE: ClassVar[str] = "fr.entraide.privacy.rectification-withdrawn.v1"
    case_id: Ref
    subject_ref: Ref
    subject_kind: SubjectKind
    decision: str = Field(pattern=r"^[a-z-]+$", description="The officer's decision code.")
    withdrawn_at: datetime


class RetentionNoticeDue(EventData):
    """A retention warning is due: the subject's data will be erased on `erase_on` unless
    someone gets in touch. Privacy holds no contact details: the owning service (intake for
    a family, directory for a volunteer) sends the warning by the person's chosen channel;
    the others ignore it. No
    acknowledgement: `notice_id` makes a resent notice a no-op for the owner's notifier."""

    EVENT_TYPE: ClassVar[str] = "fr.entraide.privacy.notice-due.v1"
    notice_id: Ref
    subject_ref: Ref
    warning: Literal["30d", "7d"] = Field(description="A month (30d) or a week (7d) ahead.")
    erase_on: date


class PrivacyAck(EventData):
    case_id: Ref
    subject_ref: Ref
    service: str = Field(pattern=r"^[a-z]+$")
    completed_at: datetime


class ErasureAcknowledged(PrivacyAck):
    EVENT_TYPE: ClassVar[str] = "fr.entraide.privacy.erasure-acknowledged.v1"
    counts: dict[str, int] = Field(description="Records deleted or anonymised, per kind.")


class AccessAcknowledged(PrivacyAck):
    EVENT_TYPE: ClassVar[str] = "fr.entraide.privacy.access-acknowledged.v1"
    sealed_export: str = Field(description="The service's part, encrypted for the case.")


class ObjectionAcknowledged(PrivacyAck):
    EVENT_TYPE: ClassVar[str] = "fr.entraide.privacy.objection-acknowledged.v1"
    counts: dict[str, int] = Field({}, description="Records changed, per kind.")


class RectificationAcknowledged(PrivacyAck):
    """The owning service flagged the record for its staff (the case then waits for
    `RectificationCompleted`); empty counts: it holds no record of the subject."""

    EVENT_TYPE: ClassVar[str] = "fr.entraide.privacy.rectification-acknowledged.v1"
    counts: dict[str, int] = Field({}, description="Records flagged for correction, per kind.")


class RectificationCompleted(PrivacyAck):
    """The owning service's staff corrected the flagged record with the person: the
    rectification is done (`completed_at`: when). The case's second answer, after
    `RectificationAcknowledged`; never what was corrected. `erased`: no correction, the
    data to correct was erased instead (a family's request refused at the door before it
    was confirmed: its identity made unreadable)."""

    EVENT_TYPE: ClassVar[str] = "fr.entraide.privacy.rectification-completed.v1"
    outcome: Literal["rectified", "erased"] = Field(
        "rectified", description="rectified: corrected; erased: erased instead of corrected."
    )
