"""The cases' commands on Kafka: one `ErasureRequested`, `AccessRequested`,
`ObjectionRequested` or `RectificationRequested` per case on
`entraide.privacy.commands.v1`, keyed by the subject's reference (the `Commands` port).
A rectification the officer closes is withdrawn (`withdrawal`) through the cases' outbox."""

import asyncio
from collections.abc import Sequence
from datetime import datetime

from faststream.kafka import KafkaBroker

from entraide.contracts import CloudEvent, new_event
from entraide.contracts.envelope import CONTENT_TYPE
from entraide.contracts.events import (
    AccessRequested,
    ErasureRequested,
    ObjectionRequested,
    PrivacyCommand,
    RectificationRequested,
    RectificationWithdrawn,
)
from entraide.contracts.topics import PRIVACY_COMMANDS
from entraide.privacy.domain.cases import Case, CaseKind

SOURCE = "/entraide/privacy"


class KafkaCommands:
    def __init__(self, broker: KafkaBroker, topic: str = PRIVACY_COMMANDS.name) -> None:
        self.broker, self.topic = broker, topic

    async def send(self, cases: Sequence[Case]) -> None:
        """Send the cases' commands; sends are awaited together (one round trip a batch)."""
        sends = []
        for case in cases:
            event = new_event(command(case), source=SOURCE, subject=case.subject_ref)
            sends.append(
                await self.broker.publish(
                    event.model_dump_json().encode(),
                    self.topic,
                    key=case.subject_ref.encode(),
                    headers={"content-type": CONTENT_TYPE},
                    no_confirm=True,
                )
            )
        await asyncio.gather(*sends)


def command(case: Case) -> PrivacyCommand:
    """The command the services receive for this case (routed ones: only the owner answers)."""
    ref, kind, deadline = case.subject_ref, case.subject_kind, case.deadline
    routed = {
        CaseKind.OBJECTION: ObjectionRequested,
        CaseKind.RECTIFICATION: RectificationRequested,
    }
    if case.kind in routed:
        return routed[case.kind](
            case_id=case.case_id, subject_ref=ref, subject_kind=kind, deadline=deadline
        )
    if case.kind == CaseKind.ACCESS:
        return AccessRequested(
            case_id=case.case_id,
            subject_ref=ref,
            subject_kind=kind,
            deadline=deadline,
            recipient_key=case.recipient_key,
        )
    return ErasureRequested(
        case_id=case.case_id,
        subject_ref=ref,
        subject_kind=kind,
        deadline=deadline,
        reason=case.reason,
    )


def withdrawal(case: Case, decision: str, at: datetime) -> CloudEvent[RectificationWithdrawn]:
    """The event telling a rectification's owner the officer closed it (`decision`) before
    the record was corrected: it takes the case's flag off."""
    withdrawn = RectificationWithdrawn(
        case_id=case.case_id,
        subject_ref=case.subject_ref,
        subject_kind=case.subject_kind,
        decision=decision,
        withdrawn_at=at,
    )
    return new_event(withdrawn, source=SOURCE, subject=case.subject_ref)
