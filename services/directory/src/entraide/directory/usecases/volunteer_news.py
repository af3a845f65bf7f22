"""What a volunteer is told, by the kit's notifier: their application's status when it
changes (`candidature-benevole`: received, under review, accepted, declined, paused, active
again; its subject says which, in the word their space and the association's page use,
`status_words`), each family matching proposes them to (`proposition-benevole`: the
need, the département and the link to their space; nothing of the family), and privacy's
warnings before the retention sweep erases them (`conservation-benevole-mois`, `-semaine`:
the day, and how to stay: their space; privacy holds no address, so it asks directory).

In the public pages' language they applied in (French for an application made before it
was kept); a need's name in that language too, from directory's catalogs (`translate`).
By e-mail, or by SMS when they chose it and gave a phone. Each message has its key (the
revision a status changed at, the match for a proposal): a review retried, a redelivered
event, a second replica or the pass settling a status's news still owed
(`usecases.status_news`) asks again and nothing more is sent. The notifier
records it (the volunteer's reference, never the address) and holds an SMS at night.
"""

import logging
from collections.abc import Callable
from datetime import date
from typing import Any

from entraide.contracts import departements
from entraide.contracts.events import MatchProposed, RetentionNoticeDue
from entraide.contracts.labels import NEEDS, in_sentence
from entraide.directory.domain.associations import name_of
from entraide.directory.domain.volunteers.rules import Status
from entraide.directory.domain.volunteers.sealing import unseal
from entraide.directory.domain.volunteers.status_news import StatusNews
from entraide.directory.domain.volunteers.status_words import FOR_VOLUNTEER
from entraide.directory.domain.volunteers.volunteer import Volunteer, written_language_of
from entraide.directory.usecases.ports import VolunteerKeyStore, VolunteerLookup
from entraide.kit.notifications import Channel, Notification, Notifier, opened_in

log = logging.getLogger(__name__)
STATUS_TEMPLATE = "candidature-benevole"  # the kit's templates
PROPOSAL_TEMPLATE = "proposition-benevole"
SPACE = "/espace-benevole"
RETENTION_TEMPLATES = {"30d": "conservation-benevole-mois", "7d": "conservation-benevole-semaine"}


def contact(identity: dict[str, Any]) -> tuple[Channel, str]:
    """Their channel: SMS if chosen and a phone given, else e-mail (always given)."""
    phone = identity.get("telephone")
    if identity.get("canal") == "sms" and phone:
        return Channel.SMS, str(phone)
    return Channel.EMAIL, str(identity["courriel"])


def by_call(identity: dict[str, Any]) -> bool:
    """They gave a phone and chose to be reached on it (no call chosen otherwise): the
    association may be said to call them; else it « va prendre contact »."""
    return identity.get("canal") == "sms" and bool(identity.get("telephone"))


def as_written(language: str, text: str) -> str:
    """No translation: the text as it is (French)."""
    return text


class VolunteerNews:
    def __init__(
        self,
        keys: VolunteerKeyStore,
        notifier: Notifier,
        *,
        space_url: str,
        translate: Callable[[str, str], str] = as_written,  # (language, French) -> its words
    ) -> None:
        self.keys, self.notifier, self.translate = keys, notifier, translate
        self.space_link = space_url.rstrip("/") + SPACE

    async def status_changed(self, volunteer: Volunteer, news: StatusNews) -> bool:
        """Ask the notifier to tell the volunteer the news of their application's status
        (`status_news`: noted with the change, told once however often asked); False when
        nobody is left to tell (erased). The notifier's failure is raised: the news stays
        owed."""
        language = volunteer.written_language
        context = {
            "association": name_of(volunteer.association_id),
            "status": news.word,
            # the subject's news, in the word of their space and the association's page
            "state": in_sentence(self.translate(language, FOR_VOLUNTEER[news.status])),
            "space_url": opened_in(self.space_link, language),
        }
        key = f"candidature:{volunteer.volunteer_ref}:{news.revision}"
        ref, sealed = volunteer.volunteer_ref, volunteer.identity
        told = (key, STATUS_TEMPLATE, context, language)
        return await self._tell(volunteer.id, ref, sealed, *told)

    async def proposed(self, documents: VolunteerLookup, proposal: MatchProposed) -> bool:
        """Tell the volunteer matching proposed them to a family (once per match); False
        for an offer's proposal, or a volunteer unknown here, gone or not active."""
        if proposal.volunteer_ref is None:
            return False
        doc = await documents.by_ref(proposal.volunteer_ref)
        if doc is None or doc.get("status") != Status.APPROVED:
            return False
        language = written_language_of(doc)
        context = {
            "association": name_of(proposal.association_id),
            "needs": [
                in_sentence(self.translate(language, NEEDS.get(n, n))) for n in proposal.needs or []
            ],
            "departement": departements.name(proposal.departement)
            if proposal.departement
            else None,
            # « dans la Nièvre », « en Loire-Atlantique »: the e-mail's sentence
            "where": departements.in_departement(proposal.departement)
            if proposal.departement
            else None,
            "link": opened_in(self.space_link, language),
        }
        key = f"proposition:{proposal.match_id}"
        ids = (doc["_id"], doc["volunteer_ref"], doc["identity"])
        return await self._tell(*ids, key, PROPOSAL_TEMPLATE, context, language, calls=True)

    async def retention_warning(
        self, documents: VolunteerLookup, notice: RetentionNoticeDue, today: date
    ) -> bool:
        """Warn the volunteer privacy's sweep will erase (a month, then a week ahead), once
        per notice; False for a notice too late to warn (a replay), a subject directory
        does not hold (a family's: intake's to send, or a volunteer already erased), or an
        applicant declined (the warning tells how to stay a volunteer: she never was)."""
        if notice.erase_on < today:
            return False
        doc = await documents.by_ref(notice.subject_ref)
        if doc is None or doc["status"] == Status.DECLINED:
            return False
        language = written_language_of(doc)
        template = RETENTION_TEMPLATES[notice.warning]
        context = {
            "erase_on": notice.erase_on,
            "association": name_of(doc["association_id"]),
            "space_url": opened_in(self.space_link, language),
        }
        told = (f"{notice.notice_id}:{template}", template, context, language)
        return await self._tell(doc["_id"], doc["volunteer_ref"], doc["identity"], *told)

    async def _tell(
        self,
        volunteer_id: str,
        ref: str,
        sealed: dict[str, str],
        key: str,
        template: str,
        context: dict[str, Any],
        language: str,
        *,
        calls: bool = False,  # the message says whether the association will call them
    ) -> bool:
        secret = await self.keys.existing(volunteer_id)
        if secret is None:  # erased: nobody to tell
            return False
        identity = unseal(secret, volunteer_id, sealed)
        channel, to = contact(identity)
        if calls:
            context = {**context, "by_phone": by_call(identity)}
        await self.notifier.notify(
            Notification(
                key=key,
                template=template,
                channel=channel,
                to=to,
                recipient_ref=ref,
                context=context,
                language=language,
            )
        )
        log.info("volunteer told", extra={"key": key, "template": template, "channel": channel})
        return True
