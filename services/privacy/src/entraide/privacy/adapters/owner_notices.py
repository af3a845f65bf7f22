"""The retention warnings' sender: privacy holds no contact details, so it asks the owner.

Each due notice becomes a `fr.entraide.privacy.notice-due.v1` on privacy's commands topic,
keyed by the subject's reference; the owning service (intake for a family) sends the
warning by the person's chosen channel through its notifier, the others ignore it. The
send is confirmed by the broker before the notice is marked sent; a notice sent again
(a crash between the two) is absorbed by the owner's notifier (keyed by `notice_id`).
"""

import logging

from faststream.kafka import KafkaBroker

from entraide.contracts import new_event
from entraide.contracts.envelope import CONTENT_TYPE
from entraide.contracts.events import RetentionNoticeDue
from entraide.contracts.topics import PRIVACY_COMMANDS
from entraide.kit.formats import paris
from entraide.privacy.domain.subjects import Notice

log = logging.getLogger(__name__)
SOURCE = "/entraide/privacy"


class OwnerNotices:
    def __init__(self, broker: KafkaBroker, topic: str = PRIVACY_COMMANDS.name) -> None:
        self.broker, self.topic = broker, topic

    async def send(self, notice: Notice) -> None:
        due = RetentionNoticeDue(
            notice_id=notice.notice_id,
            subject_ref=notice.subject_ref,
            warning="7d" if int(notice.warning.rstrip("d")) <= 7 else "30d",
            erase_on=paris(notice.expires_at).date(),
        )
        event = new_event(due, source=SOURCE, subject=notice.subject_ref)
        await self.broker.publish(
            event.model_dump_json().encode(),
            self.topic,
            key=notice.subject_ref.encode(),
            headers={"content-type": CONTENT_TYPE},
        )
        log.info(
            "retention warning asked of the owner",
            extra={"notice_id": notice.notice_id, "warning": notice.warning},
        )
