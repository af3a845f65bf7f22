"""A volunteer's application status is told even if directory stops in the middle, against
the fakes: the status's own write notes the news owed, the notifier is asked, then the
note is cleared; the notifier failing, or directory dying after the write or after the
notifier's record, leaves the note for the pass, which tells her once (the notifier's key:
asked twice, sent once). A status changed again before the news went: she is told the
latest. A note older than the bound goes untold, logged by the volunteer's id only."""

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

import pytest

from entraide.directory.domain.volunteers.rules import Honorability, Status
from entraide.directory.usecases import volunteers
from entraide.directory.usecases.status_news import TELL_WITHIN, settle_owed
from entraide.directory.usecases.volunteer_news import VolunteerNews
from entraide.directory.usecases.volunteers import Review
from entraide.kit.notifications import Notification
from tests.unit.directory.fakes import FakeKeys, FakeUnitOfWork
from tests.unit.directory.test_volunteer_space import space_over
from tests.unit.directory.test_volunteer_use_cases import FORM, PPM

SPACE = "http://127.0.0.1:8010"
REVIEWED = Review(status=Status.IN_REVIEW, honorability=Honorability.CLEARED)


class OnceNotifier:
    """The kit's notifier as the use cases see it: a key recorded once (asked again,
    nothing more); its store away (`failing`), or directory dying before or after it
    records (`dying`: "before" or "after", a cancellation as the process stops)."""

    def __init__(self) -> None:
        self.recorded: dict[str, Notification] = {}
        self.asked: list[str] = []
        self.failing = False
        self.dying: str | None = None
        self.meanwhile: Callable[[], Awaitable[object]] | None = None  # once, as it is asked

    async def notify(self, notification: Notification) -> None:
        self.asked.append(notification.key)
        if self.meanwhile is not None:
            meanwhile, self.meanwhile = self.meanwhile, None
            await meanwhile()
        if self.failing:
            raise ConnectionError("the notifier's store is away")
        if self.dying == "before":
            raise asyncio.CancelledError
        self.recorded.setdefault(notification.key, notification)
        if self.dying == "after":
            raise asyncio.CancelledError

    def said(self) -> list[str]:
        return [str(n.context["status"]) for n in self.recorded.values()]


def wired(notifier: OnceNotifier) -> tuple[FakeUnitOfWork, FakeKeys, VolunteerNews]:
    uow, keys = FakeUnitOfWork(), FakeKeys()
    return uow, keys, VolunteerNews(keys, notifier, space_url=SPACE)


async def applied(notifier: OnceNotifier) -> tuple[FakeUnitOfWork, VolunteerNews, str]:
    uow, keys, news = wired(notifier)
    return uow, news, await volunteers.apply(uow, keys, FORM, news)


async def reviewed_while_away(
    notifier: OnceNotifier,
    uow: FakeUnitOfWork,
    news: VolunteerNews,
    volunteer_id: str,
    *reviews: Review,
) -> None:
    """The `reviews` written while the notifier's store is away (each status owed)."""
    notifier.failing = True
    for review in reviews:
        await volunteers.change(uow, PPM, volunteer_id, review, news)
    notifier.failing = False


def owed(uow: FakeUnitOfWork, volunteer_id: str) -> tuple[Status, int] | None:
    note = uow.volunteers.stored[volunteer_id].news_owed
    return None if note is None else (note.status, note.revision)


def now_of(uow: FakeUnitOfWork, volunteer_id: str, later: timedelta = timedelta(0)) -> datetime:
    """The volunteer's last change, `later`."""
    return uow.volunteers.stored[volunteer_id].updated_at + later


async def test_the_notifier_failing_leaves_the_news_owed_and_the_pass_tells_it_once() -> None:
    notifier = OnceNotifier()
    notifier.failing = True
    uow, news, volunteer_id = await applied(notifier)
    assert notifier.recorded == {}
    assert owed(uow, volunteer_id) == (Status.APPLIED, 1)  # in the application's own write
    await volunteers.change(uow, PPM, volunteer_id, Review(capacity=2), news)
    assert owed(uow, volunteer_id) == (Status.APPLIED, 1)  # a write with no new status: kept

    notifier.failing = False
    assert await settle_owed(uow.volunteers, news, now_of(uow, volunteer_id)) == 1
    assert notifier.said() == ["submitted"]
    ref = uow.volunteers.stored[volunteer_id].volunteer_ref
    assert list(notifier.recorded) == [f"candidature:{ref}:1"]
    assert owed(uow, volunteer_id) is None
    assert await settle_owed(uow.volunteers, news, now_of(uow, volunteer_id)) == 0
    assert len(notifier.asked) == 3  # the application, the capacity's write, the pass


async def test_directory_dying_after_the_status_write_before_the_notifier_loses_nothing() -> None:
    notifier = OnceNotifier()
    uow, news, volunteer_id = await applied(notifier)
    await volunteers.change(uow, PPM, volunteer_id, REVIEWED, news)
    notifier.dying = "before"
    with pytest.raises(asyncio.CancelledError):
        await volunteers.change(uow, PPM, volunteer_id, Review(status=Status.APPROVED), news)
    assert uow.volunteers.stored[volunteer_id].status is Status.APPROVED  # the write stands
    assert owed(uow, volunteer_id) == (Status.APPROVED, 3)

    notifier.dying = None  # directory starts again: its pass
    assert await settle_owed(uow.volunteers, news, now_of(uow, volunteer_id)) == 1
    assert notifier.said() == ["submitted", "in-review", "accepted"]
    assert owed(uow, volunteer_id) is None


async def test_directory_dying_after_the_notifiers_record_sends_nothing_twice() -> None:
    notifier = OnceNotifier()
    uow, keys, news = wired(notifier)
    notifier.dying = "after"
    with pytest.raises(asyncio.CancelledError):
        await volunteers.apply(uow, keys, FORM, news)
    [volunteer_id] = uow.volunteers.stored
    assert owed(uow, volunteer_id) == (Status.APPLIED, 1)  # recorded, but the note stayed
    assert notifier.said() == ["submitted"]

    notifier.dying = None
    assert await settle_owed(uow.volunteers, news, now_of(uow, volunteer_id)) == 1
    assert len(notifier.asked) == 2  # asked again by the pass: its key, recorded already
    assert notifier.said() == ["submitted"]  # told once
    assert owed(uow, volunteer_id) is None


async def test_a_status_changed_again_before_the_news_went_tells_the_latest_only() -> None:
    notifier = OnceNotifier()
    uow, news, volunteer_id = await applied(notifier)
    approved = Review(status=Status.APPROVED)
    await reviewed_while_away(notifier, uow, news, volunteer_id, REVIEWED, approved)
    assert owed(uow, volunteer_id) == (Status.APPROVED, 3)  # the review's news replaced
    assert await settle_owed(uow.volunteers, news, now_of(uow, volunteer_id)) == 1
    assert notifier.said() == ["submitted", "accepted"]  # not « en cours d'examen » late

    # paused then active again from her space while the notifier is away: « de nouveau
    # acceptée », the news of the change that stands
    space, _, _, _ = space_over(uow)
    space.news = news
    notifier.failing = True
    await space.pause(volunteer_id)
    await space.resume(volunteer_id)
    notifier.failing = False
    assert await settle_owed(uow.volunteers, news, now_of(uow, volunteer_id)) == 1
    assert notifier.said() == ["submitted", "accepted", "active"]


async def test_news_in_flight_as_the_status_changes_again_leaves_the_latest_owed() -> None:
    """The review's message asked while a refusal is written (its own message failing):
    the review's clearing finds the refusal's note and leaves it; the pass tells it."""
    notifier = OnceNotifier()
    uow, news, volunteer_id = await applied(notifier)

    async def refused_meanwhile() -> None:
        declined = Review(status=Status.DECLINED)
        await reviewed_while_away(notifier, uow, news, volunteer_id, declined)

    notifier.meanwhile = refused_meanwhile
    await volunteers.change(uow, PPM, volunteer_id, REVIEWED, news)
    assert notifier.said() == ["submitted", "in-review"]
    assert owed(uow, volunteer_id) == (Status.DECLINED, 3)  # not cleared by the review's
    assert await settle_owed(uow.volunteers, news, now_of(uow, volunteer_id)) == 1
    assert notifier.said() == ["submitted", "in-review", "declined"]
    assert owed(uow, volunteer_id) is None


async def test_leaving_before_the_news_went_cancels_it() -> None:
    notifier = OnceNotifier()
    uow, news, volunteer_id = await applied(notifier)
    await reviewed_while_away(notifier, uow, news, volunteer_id, REVIEWED)
    assert owed(uow, volunteer_id) == (Status.IN_REVIEW, 2)
    await reviewed_while_away(notifier, uow, news, volunteer_id, Review(status=Status.LEFT))
    assert owed(uow, volunteer_id) is None  # in the leaving's own write
    assert await settle_owed(uow.volunteers, news, now_of(uow, volunteer_id)) == 0
    assert notifier.said() == ["submitted"]


async def test_news_owed_past_the_bound_goes_untold_logged_by_the_volunteers_id_only(
    caplog: pytest.LogCaptureFixture,
) -> None:
    notifier = OnceNotifier()
    notifier.failing = True
    uow, news, volunteer_id = await applied(notifier)
    notifier.failing = False
    late = now_of(uow, volunteer_id, TELL_WITHIN)
    assert await settle_owed(uow.volunteers, news, late - timedelta(seconds=1)) == 1
    assert notifier.said() == ["submitted"]  # still within the bound: told

    await reviewed_while_away(notifier, uow, news, volunteer_id, REVIEWED)
    with caplog.at_level(logging.WARNING):
        assert await settle_owed(uow.volunteers, news, now_of(uow, volunteer_id, TELL_WITHIN)) == 1
    assert notifier.said() == ["submitted"]  # days late: not told
    assert owed(uow, volunteer_id) is None
    [dropped] = [r for r in caplog.records if "given up" in r.getMessage()]
    assert dropped.__dict__["volunteer_id"] == volunteer_id
    logged = " ".join(f"{r.getMessage()} {r.__dict__}" for r in caplog.records)
    assert "d@example.org" not in logged
    assert "Dominique" not in logged


async def test_the_news_owed_is_the_stores_own_note_not_shown_to_the_staff() -> None:
    notifier = OnceNotifier()
    notifier.failing = True
    uow, keys, news = wired(notifier)
    volunteer_id = await volunteers.apply(uow, keys, FORM, news)
    stored = uow.volunteers.stored[volunteer_id]
    assert stored.news_owed is not None
    doc = stored.state() | {"news_owed": stored.news_owed.document()}
    shown = await volunteers.staff_view(keys, doc)
    assert "news_owed" not in shown
    assert shown["identity"]["courriel"] == "d@example.org"  # the staff's view as it was
