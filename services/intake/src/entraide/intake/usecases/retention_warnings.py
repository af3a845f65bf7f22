"""Retention warnings, sent by intake for privacy: privacy holds no contact details, so it
asks the owner (`fr.entraide.privacy.notice-due.v1`); intake opens the family's identity,
picks its chosen written channel and hands the warning to the kit's notifier, keyed by
the notice (a redelivered notice sends nothing more). No address or name in a log."""

import logging
from datetime import date

from entraide.contracts.events import RetentionNoticeDue
from entraide.intake.domain import sealing
from entraide.intake.domain.reaching import SMS, message_language, written_channel
from entraide.intake.usecases.ports import Families, FamilyKeys
from entraide.kit.notifications import LANGUAGES, Channel, Notification, Notifier

log = logging.getLogger(__name__)
TEMPLATES = {"30d": "conservation-mois", "7d": "conservation-semaine"}


class RetentionWarnings:
    def __init__(self, families: Families, keys: FamilyKeys, notifier: Notifier) -> None:
        self.families, self.keys, self.notifier = families, keys, notifier

    async def warn(self, notice: RetentionNoticeDue, today: date) -> bool:
        """Send the warning to the family it names, if intake holds it; whether it went
        to the notifier (a family erased, unknown or unreachable: False)."""
        if notice.erase_on < today:  # a replay of an old notice: too late to warn
            return False
        family = await self.families.by_ref(notice.subject_ref)
        key = None if family is None else await self.keys.existing(family.id)
        if family is None or key is None:
            return False
        identity = sealing.unseal(key, family.id, family.identity)
        reach = written_channel(identity.get("contact_preferences", []), identity["parent"])
        if reach is None:
            log.info("retention warning: no written channel", extra={"notice_id": notice.notice_id})
            return False
        channel, to = reach
        await self.notifier.notify(
            Notification(
                key=f"{notice.notice_id}:{TEMPLATES[notice.warning]}",
                template=TEMPLATES[notice.warning],
                channel=Channel.SMS if channel == SMS else Channel.EMAIL,
                to=to,
                recipient_ref=family.family_ref,
                context={"erase_on": notice.erase_on},
                language=message_language(family.written_language, family.languages, LANGUAGES),
            )
        )
        return True
