"""A volunteer's own space: the sign-in link by e-mail, their application's status and
what may come of it (a family, or why none can be proposed yet), pause and resume, what
they offer (slots, languages, skills), leaving.

Sending a link answers the same whether the address is known or not: the caller learns
nothing. Every change the volunteer makes is the volunteer's own aggregate changed and
committed as the association's review is (`Volunteer.change`): once approved, matching
hears it on the volunteers topic (paused: inactive, so proposed to no new family; the
supports already agreed go on, and the space lists them).
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from entraide.contracts.events import HonorabilityCheck
from entraide.directory.domain.records import ConflictError
from entraide.directory.domain.volunteers import access_links
from entraide.directory.domain.volunteers.rules import Status, TransitionError
from entraide.directory.domain.volunteers.sealing import unseal
from entraide.directory.domain.volunteers.volunteer import Volunteer
from entraide.directory.usecases import status_news
from entraide.directory.usecases.ports import (
    UnitOfWork,
    VolunteerDocuments,
    VolunteerKeyStore,
    VolunteerSupports,
)
from entraide.directory.usecases.volunteer_news import VolunteerNews
from entraide.kit import formats
from entraide.kit.notifications import Channel, Notification, Notifier, opened_in

log = logging.getLogger(__name__)
ATTEMPTS = 5
HOUR = timedelta(hours=1)
LINK_TEMPLATE = "lien-connexion"  # the kit's template


class EmailIndex(Protocol):
    """The volunteers by the keyed hash of their address (`access_links.email_lookup`)."""

    async def remember(self, lookup: str, volunteer_id: str, volunteer_ref: str) -> None: ...

    async def find(self, lookup: str) -> str | None: ...

    async def forget_others(self, volunteer_id: str, lookup: str) -> None:
        """The volunteer's addresses but this one forgotten (a corrected address)."""
        ...

    async def volunteers(self) -> set[str]:
        """The volunteers whose address is kept."""
        ...

    async def filled(self) -> bool:
        """Whether the addresses of those who applied before the index existed were kept."""
        ...

    async def mark_filled(self) -> None: ...


class SignInLinks(Protocol):
    """The links sent, by their token's hash."""

    async def save(
        self, hashed: str, volunteer_id: str, volunteer_ref: str, expires_at: datetime
    ) -> None: ...

    async def sent_since(self, volunteer_id: str, since: datetime) -> int:
        """How many links went to this volunteer since `since`."""
        ...

    async def redeem(self, hashed: str, now: datetime) -> str | None:
        """The volunteer the link names, once: marked used; None if unknown, used or expired."""
        ...


class LeavingRequests(Protocol):
    """Where a volunteer's wish to have their data erased goes (privacy opens the case)."""

    async def keep(self, volunteer_ref: str) -> None:
        """Keep the wish, asked of privacy by the next pass (`erase` asks it now)."""
        ...

    async def erase(self, volunteer_ref: str) -> None:
        """Ask privacy now; kept and asked again later if privacy does not answer."""
        ...


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Offered:
    """What the volunteer changes of what they offer (slots as the events write them)."""

    availability: list[dict[str, str]]
    languages: list[str]
    skills: list[str]


@dataclass(frozen=True)
class Prospects:
    """Whether a family may be proposed to the volunteer now, by the rules matching applies
    to them (its `rules.support_unfit`): active (not paused), their honorability check
    valid on the day, a place left. Their space says why not rather than promise one."""

    status: Status
    supports: list[dict[str, Any]]  # under way (`current_supports`)
    check: HonorabilityCheck
    full: bool  # supporting as many families as they offered to

    @property
    def check_lapsed(self) -> bool:
        """Approved or paused (matching knows them), their check not valid today."""
        heard = self.status in (Status.APPROVED, Status.PAUSED)
        return heard and self.check is not HonorabilityCheck.VALID

    @property
    def at_capacity(self) -> bool:
        return self.status is Status.APPROVED and self.full

    @property
    def proposable(self) -> bool:
        return self.status is Status.APPROVED and not (self.check_lapsed or self.full)


class VolunteerSpace:
    def __init__(
        self,
        uow: UnitOfWork,
        index: EmailIndex,
        links: SignInLinks,
        notifier: Notifier,
        leaving: LeavingRequests | None = None,
        *,
        lookup_secret: bytes,
        clock: Callable[[], datetime] = utcnow,
        news: VolunteerNews | None = None,
        supports: VolunteerSupports | None = None,
    ) -> None:
        self.uow, self.index, self.links, self.notifier = uow, index, links, notifier
        self.leaving, self.news, self.supports = leaving, news, supports
        self.lookup_secret, self.clock = lookup_secret, clock

    async def remember(self, email: str, volunteer_id: str) -> None:
        """An application's address, kept as its keyed hash only (under the volunteer's
        reference: erased with the rest by privacy's command)."""
        volunteer = await self.uow.volunteers.get(volunteer_id)
        if volunteer is None:
            return
        lookup = access_links.email_lookup(self.lookup_secret, email)
        await self.index.remember(lookup, volunteer_id, volunteer.volunteer_ref)

    async def readdress(self, email: str, volunteer_id: str) -> None:
        """The address their association corrected opens their space, and no other: a
        mistyped one (someone else's, perhaps) no longer gets their sign-in links."""
        await self.remember(email, volunteer_id)
        lookup = access_links.email_lookup(self.lookup_secret, email)
        await self.index.forget_others(volunteer_id, lookup)

    async def remember_missing(self, documents: VolunteerDocuments, keys: VolunteerKeyStore) -> int:
        """At start, once (the index keeps a marker once done: every later application
        keeps its own address): the volunteers who applied before their address was kept
        (their identity opened with their own key, the address hashed); how many."""
        if await self.index.filled():
            return 0
        known = await self.index.volunteers()
        remembered = 0
        async for doc in documents.every():  # a cursor: tens of thousands, one at a time
            if doc["_id"] in known or doc.get("status") not in access_links.MAY_SIGN_IN:
                continue
            key = await keys.existing(doc["_id"])
            if key is None:
                continue
            identity = unseal(key, doc["_id"], doc["identity"])
            lookup = access_links.email_lookup(self.lookup_secret, str(identity["courriel"]))
            await self.index.remember(lookup, doc["_id"], doc["volunteer_ref"])
            remembered += 1
        await self.index.mark_filled()  # after: a start cut short does it again
        log.info("volunteers' addresses kept for their space: %d", remembered)
        return remembered

    async def send_link(self, email: str, link_base: str, language: str = "fr") -> bool:
        """Send a sign-in link if the address is a volunteer's who may sign in, in the
        language of the page it was asked from; whether one was sent is for tests and
        metrics only: the page answers the same either way."""
        volunteer_id = await self.index.find(access_links.email_lookup(self.lookup_secret, email))
        volunteer = await self.uow.volunteers.get(volunteer_id) if volunteer_id else None
        if volunteer is None or volunteer.status not in access_links.MAY_SIGN_IN:
            return False
        now = self.clock()
        if await self.links.sent_since(volunteer.id, now - HOUR) >= access_links.LINKS_PER_HOUR:
            log.info("sign-in link not sent: too many this hour")
            return False
        link = access_links.new_link(now)
        await self.links.save(link.hashed, volunteer.id, volunteer.volunteer_ref, link.expires_at)
        await self.notifier.notify(
            Notification(
                key=f"lien:{link.hashed}",
                template=LINK_TEMPLATE,
                channel=Channel.EMAIL,
                to=access_links.normalized(email),
                recipient_ref=volunteer.volunteer_ref,
                context={
                    "link": opened_in(f"{link_base}?jeton={link.token}", language),
                    "expires_at": link.expires_at,
                },
                language=language,
            )
        )
        return True

    async def sign_in(self, token: str) -> str | None:
        """The volunteer a link opens a session for (once, before it expires)."""
        if not token or len(token) > 100:
            return None
        now = self.clock()
        volunteer_id = await self.links.redeem(access_links.token_hash(token), now)
        if volunteer_id is None:
            return None
        volunteer = await self.uow.volunteers.get(volunteer_id)
        if volunteer is None or volunteer.status not in access_links.MAY_SIGN_IN:
            return None
        return volunteer_id

    async def get(self, volunteer_id: str) -> Volunteer | None:
        return await self.uow.volunteers.get(volunteer_id)

    async def prospects(self, volunteer: Volunteer) -> Prospects:
        """What may come to them now: their supports under way, their check today (on
        Paris's day, as their association's page counts it: at most two hours ahead of
        matching's UTC day, an expiry is told early, never late)."""
        current = await self.current_supports(volunteer)
        check = volunteer.check_on(formats.today(self.clock()))
        return Prospects(volunteer.status, current, check, volunteer.at_capacity(len(current)))

    async def current_supports(self, volunteer: Volunteer) -> list[dict[str, Any]]:
        """The families they support now (accepted or started matches), as matching's
        events told directory: nothing of the family beyond the proposal's e-mail."""
        return await self.supports.current(volunteer.volunteer_ref) if self.supports else []

    async def pause(self, volunteer_id: str) -> Volunteer:
        """Not available for a while: matching stops proposing them new families, their
        current supports go on (TransitionError unless approved)."""
        return await self._change(volunteer_id, {"status": Status.PAUSED.value})

    async def resume(self, volunteer_id: str) -> Volunteer:
        """Available again (TransitionError unless paused)."""
        return await self._change(volunteer_id, {"status": Status.APPROVED.value})

    async def offer(self, volunteer_id: str, offered: Offered) -> Volunteer:
        """Their slots, languages and skills as they now give them."""
        return await self._change(
            volunteer_id,
            {"availability": offered.availability},
            languages=offered.languages,
            skills=offered.skills,
        )

    async def leave(self, volunteer_id: str) -> Volunteer:
        """They leave: inactive at once (matching hears it, then the tombstone), and their
        data goes to privacy to be erased everywhere. The wish is kept before the status
        is written: left, they can no longer sign in to ask again, so directory stopping
        in between must not lose it (the pass asking privacy again finds it)."""
        if self.leaving is None:
            raise TransitionError("le départ n'est pas encore possible depuis l'espace")
        found = await self.uow.volunteers.get(volunteer_id)
        if found is not None and found.status in access_links.MAY_SIGN_IN:
            await self.leaving.keep(found.volunteer_ref)
        volunteer = await self._change(volunteer_id, {"status": Status.LEFT.value})
        await self.leaving.erase(volunteer.volunteer_ref)
        log.info("volunteer left from their space: erasure asked")
        return volunteer

    async def _change(
        self, volunteer_id: str, changes: dict[str, Any], **own: list[str]
    ) -> Volunteer:
        """Apply to the volunteer as stored when written (another write first: again)."""
        for _ in range(ATTEMPTS):
            volunteer = await self.uow.volunteers.get(volunteer_id)
            if volunteer is None:
                raise TransitionError("cette fiche n'existe plus")
            if volunteer.status not in access_links.MAY_SIGN_IN:
                raise TransitionError("cette fiche est close")
            if changes.get("status") == volunteer.status.value:
                raise TransitionError(f"déjà {volunteer.status.value}")  # a second click
            for name, value in own.items():
                setattr(volunteer, name, value)
            now = self.clock()
            volunteer.change(changes, now)  # paused, active again: owed (not on leaving)
            if await self.uow.commit(volunteer):
                if self.news is not None:
                    await status_news.settle(self.uow.volunteers, self.news, volunteer, now)
                return volunteer
        raise ConflictError(volunteer_id)
