"""A volunteer's own space against the fakes: the sign-in link (same answer for an unknown
address, single use, 15 minutes), the session cookie, pause and resume announced to
matching, what they offer, leaving."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from entraide.directory.domain.volunteers import access_links
from entraide.directory.domain.volunteers.rules import Status, TransitionError
from entraide.directory.usecases.volunteer_space import Offered, VolunteerSpace
from entraide.kit.notifications import Channel, Notification
from tests.unit.directory.test_volunteer_use_cases import applied, approved

SECRET = b"k" * 32
EMAIL = "d@example.org"  # FORM's address


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


class FakeIndex:
    def __init__(self) -> None:
        self.by_lookup: dict[str, str] = {}
        self.marked = False

    async def remember(self, lookup: str, volunteer_id: str, volunteer_ref: str) -> None:
        self.by_lookup[lookup] = volunteer_id

    async def find(self, lookup: str) -> str | None:
        return self.by_lookup.get(lookup)

    async def forget_others(self, volunteer_id: str, lookup: str) -> None:
        self.by_lookup = {
            k: v for k, v in self.by_lookup.items() if v != volunteer_id or k == lookup
        }

    async def volunteers(self) -> set[str]:
        return set(self.by_lookup.values())

    async def filled(self) -> bool:
        return self.marked

    async def mark_filled(self) -> None:
        self.marked = True


class FakeLinks:
    def __init__(self) -> None:
        self.links: dict[str, tuple[str, datetime, bool]] = {}

    async def save(
        self, hashed: str, volunteer_id: str, volunteer_ref: str, expires_at: datetime
    ) -> None:
        self.links[hashed] = (volunteer_id, expires_at, False)

    async def sent_since(self, volunteer_id: str, since: datetime) -> int:
        window = since + access_links.LINK_VALIDITY
        return sum(
            1 for v, expires, _ in self.links.values() if v == volunteer_id and expires > window
        )

    async def redeem(self, hashed: str, now: datetime) -> str | None:
        found = self.links.get(hashed)
        if found is None or found[2] or found[1] <= now:
            return None
        self.links[hashed] = (found[0], found[1], True)
        return found[0]


class FakeNotifier:
    def __init__(self) -> None:
        self.sent: list[Notification] = []

    async def notify(self, notification: Notification) -> None:
        self.sent.append(notification)


class FakeLeaving:
    """The wishes kept (the reference: asked of privacy yet); asking fails while `stopping`
    (directory stopping once the status is written, before the wish)."""

    def __init__(self) -> None:
        self.erased: list[str] = []
        self.wishes: dict[str, bool] = {}
        self.stopping = False

    async def keep(self, volunteer_ref: str) -> None:
        self.wishes.setdefault(volunteer_ref, False)

    async def erase(self, volunteer_ref: str) -> None:
        if self.stopping:
            raise ConnectionError("directory stopped")
        self.wishes[volunteer_ref] = True
        self.erased.append(volunteer_ref)


def space_over(uow: object) -> tuple[VolunteerSpace, FakeNotifier, FakeLinks, Clock]:
    notifier, links, clock = FakeNotifier(), FakeLinks(), Clock()
    space = VolunteerSpace(
        uow,  # type: ignore[arg-type]
        FakeIndex(),
        links,
        notifier,
        FakeLeaving(),
        lookup_secret=SECRET,
        clock=clock,
    )
    return space, notifier, links, clock


def token_of(notification: Notification) -> str:
    return parse_qs(urlsplit(str(notification.context["link"])).query)["jeton"][0]


async def test_a_link_goes_to_a_known_address_only_and_opens_one_session_once() -> None:
    uow, _, volunteer_id = await applied()
    space, notifier, links, _ = space_over(uow)
    await space.remember(EMAIL, volunteer_id)

    assert await space.send_link("inconnu@example.org", "http://x/connexion") is False
    assert notifier.sent == []
    assert await space.send_link("  D@Example.org ", "http://x/connexion") is True
    [sent] = notifier.sent
    assert (sent.channel, sent.to, sent.template) == (Channel.EMAIL, EMAIL, "lien-connexion")
    assert sent.language == "fr"
    assert await space.send_link(EMAIL, "http://x/connexion", "ro") is True
    assert notifier.sent[-1].language == "ro"  # the language of the page it was asked from
    assert str(notifier.sent[-1].context["link"]).endswith("&lang=ro")  # and the page it opens
    assert "lang=" not in str(sent.context["link"])  # French: the default
    assert sent.recipient_ref == uow.volunteers.stored[volunteer_id].volunteer_ref
    token = token_of(sent)
    assert sent.context["expires_at"] == datetime(2026, 11, 30, 8, 15, tzinfo=UTC)
    assert token not in str(links.links)  # only its hash is kept
    assert await space.sign_in(token) == volunteer_id
    assert await space.sign_in(token) is None  # once
    assert await space.sign_in(token_of(notifier.sent[-1])) == volunteer_id
    assert await space.sign_in("forged") is None


async def test_a_link_expires_after_15_minutes() -> None:
    uow, _, volunteer_id = await applied()
    space, notifier, _, clock = space_over(uow)
    await space.remember(EMAIL, volunteer_id)
    await space.send_link(EMAIL, "http://x/connexion")
    clock.now += timedelta(minutes=15, seconds=1)
    assert await space.sign_in(token_of(notifier.sent[0])) is None


async def test_one_volunteer_gets_five_links_an_hour_whoever_asks() -> None:
    uow, _, volunteer_id = await applied()
    space, notifier, _, clock = space_over(uow)
    await space.remember(EMAIL, volunteer_id)
    sent = [await space.send_link(EMAIL, "http://x/connexion") for _ in range(7)]
    assert sent == [True] * access_links.LINKS_PER_HOUR + [False, False]
    assert len(notifier.sent) == access_links.LINKS_PER_HOUR
    clock.now += timedelta(hours=1, seconds=1)
    assert await space.send_link(EMAIL, "http://x/connexion") is True


class FakeDocuments:
    def __init__(self, uow) -> None:  # type: ignore[no-untyped-def]
        self.uow = uow

    async def every(self) -> AsyncIterator[dict]:
        """A cursor's: one at a time (no `all`: the whole list is never asked for)."""
        for volunteer in list(self.uow.volunteers.stored.values()):
            yield volunteer.state()


async def test_volunteers_who_applied_before_their_address_was_kept_can_sign_in() -> None:
    uow, keys, volunteer_id = await applied()
    space, notifier, _, _ = space_over(uow)
    assert await space.send_link(EMAIL, "http://x/connexion") is False  # not known yet
    documents = FakeDocuments(uow)
    assert await space.remember_missing(documents, keys) == 1  # type: ignore[arg-type]
    assert await space.remember_missing(documents, keys) == 0  # once
    space.index.by_lookup.clear()  # type: ignore[attr-defined]
    assert await space.remember_missing(documents, keys) == 0  # the marker: not again
    assert await space.send_link(EMAIL, "http://x/connexion") is False
    space.index.marked = False  # type: ignore[attr-defined]
    assert await space.remember_missing(documents, keys) == 1
    assert await space.send_link(EMAIL, "http://x/connexion") is True
    assert notifier.sent[0].recipient_ref == uow.volunteers.stored[volunteer_id].volunteer_ref


def test_the_session_cookie_names_its_volunteer_until_it_ends_and_cannot_be_forged() -> None:
    now = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
    value = access_links.session_value(SECRET, "v1", now)
    assert access_links.session_volunteer(SECRET, value, now) == "v1"
    assert access_links.session_volunteer(b"x" * 32, value, now) is None
    forged = "v2" + value[2:]
    assert access_links.session_volunteer(SECRET, forged, now) is None
    later = now + access_links.SESSION_VALIDITY + timedelta(seconds=1)
    assert access_links.session_volunteer(SECRET, value, later) is None


async def test_pause_and_resume_are_announced_inactive_then_active() -> None:
    uow, volunteer_id = await approved()
    space, *_ = space_over(uow)
    before = len(uow.events())
    assert (await space.pause(volunteer_id)).status is Status.PAUSED
    assert (await space.resume(volunteer_id)).status is Status.APPROVED
    paused, back = uow.events()[before:]
    assert (paused.active, back.active) == (False, True)
    with pytest.raises(TransitionError):
        await space.resume(volunteer_id)  # not paused


async def test_a_candidate_cannot_pause_but_can_change_what_they_offer_silently() -> None:
    uow, _, volunteer_id = await applied()
    space, *_ = space_over(uow)
    with pytest.raises(TransitionError):
        await space.pause(volunteer_id)
    offered = Offered([{"day": "mo", "part": "evening"}], ["fr", "ar"], ["aide-aux-devoirs"])
    changed = await space.offer(volunteer_id, offered)
    assert (changed.languages, changed.skills) == (["fr", "ar"], ["aide-aux-devoirs"])
    assert uow.events() == []  # not approved: matching hears nothing


async def test_what_an_approved_volunteer_offers_reaches_matching() -> None:
    uow, volunteer_id = await approved()
    space, *_ = space_over(uow)
    offered = Offered([{"day": "mo", "part": "evening"}], ["fr", "ar"], [])
    await space.offer(volunteer_id, offered)
    last = uow.events()[-1]
    assert [s.model_dump(mode="json") for s in last.availability] == offered.availability
    assert last.languages == ["fr", "ar"]


async def test_leaving_is_announced_inactive_at_once_and_asks_privacy_to_erase() -> None:
    uow, volunteer_id = await approved()
    space, *_ = space_over(uow)
    left = await space.leave(volunteer_id)
    assert left.status is Status.LEFT
    assert uow.events()[-1].active is False
    assert space.leaving.erased == [left.volunteer_ref]  # type: ignore[union-attr]
    assert await space.send_link(EMAIL, "http://x") is False  # no door after leaving
