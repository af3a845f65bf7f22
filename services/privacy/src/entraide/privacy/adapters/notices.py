"""The retention warnings' sender. The delivery itself needs the contact details intake
holds: `LoggingSender` stands in for it and logs the notice id, warning and channel only."""

import logging

from entraide.privacy.domain.subjects import Notice

log = logging.getLogger(__name__)


class LoggingSender:
    async def send(self, notice: Notice) -> None:
        log.info(
            "retention warning sent",
            extra={
                "notice_id": notice.notice_id,
                "warning": notice.warning,
                "channels": list(notice.channels),
            },
        )
