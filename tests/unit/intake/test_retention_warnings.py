"""Intake sends privacy's retention warnings by the family's chosen written channel, in
its language."""

from dataclasses import dataclass
from datetime import date

import pytest

from entraide.contracts.events import RetentionNoticeDue
from entraide.intake.domain import sealing
from entraide.intake.domain.reaching import message_language, written_channel, written_channels
from entraide.intake.usecases.retention_warnings import RetentionWarnings
from entraide.kit.notifications import LANGUAGES, Channel, Notification

PARENT = {"first_name": "Awa", "last_name": "D", "phone": "06 12 34 56 78", "email": "a@b.fr"}


@pytest.mark.parametrize(
    ("chosen", "parent", "reach"),
    [
        (["email"], PARENT, ("email", "a@b.fr")),
        (["sms", "email"], PARENT, ("sms", "06 12 34 56 78")),
        (["email", "sms"], PARENT | {"email": None}, ("sms", "06 12 34 56 78")),
        (["phone"], PARENT, ("sms", "06 12 34 56 78")),  # a call: the nearest written form
        (["phone", "email"], PARENT, ("email", "a@b.fr")),
        (["email"], PARENT | {"email": ""}, None),
        (["phone"], PARENT | {"phone": None}, None),
    ],
)
def test_the_first_written_channel_chosen_with_an_address(chosen, parent, reach) -> None:
    assert written_channel(chosen, parent) == reach


EMAIL, SMS = ("email", "a@b.fr"), ("sms", "06 12 34 56 78")


@pytest.mark.parametrize(
    ("chosen", "parent", "reach"),
    [
        (["email", "sms"], PARENT, [EMAIL, SMS]),
        (["sms", "email"], PARENT, [SMS, EMAIL]),  # in the family's order
        (["phone", "email"], PARENT, [EMAIL, SMS]),  # a call: an SMS, after what is written
        (["sms", "phone"], PARENT, [SMS]),  # one SMS, not two
        (["email", "sms"], PARENT | {"email": None}, [SMS]),
        (["phone"], PARENT | {"phone": ""}, []),
    ],
)
def test_every_written_channel_chosen_with_an_address(chosen, parent, reach) -> None:
    """News of a family's own request goes by each of them (self_requests)."""
    assert written_channels(chosen, parent) == reach


@pytest.mark.parametrize(
    ("chosen", "spoken", "language"),
    [
        ("ar", ["fr", "ar"], "ar"),  # the door's page the parent chose
        ("falc", [], "falc"),
        (None, [], "fr"),
        (None, ["bm", "fr"], "fr"),  # speaks French: French
        (None, ["bm", "ro", "en"], "ro"),  # the first spoken that we write
        (None, ["bm", "wo"], "fr"),  # none we write: French
        ("tr", ["tr"], "fr"),
    ],
)
def test_a_familys_messages_language(chosen, spoken, language) -> None:
    assert message_language(chosen, spoken, LANGUAGES) == language


@dataclass
class FakeFamily:
    id: str
    family_ref: str
    identity: dict
    languages: list[str]
    written_language: str | None = None


class Fakes:
    def __init__(self, chosen: list[str], languages: list[str] | None = None) -> None:
        self.key = sealing.new_key()
        identity = {"parent": PARENT, "commune": "Nantes", "contact_preferences": chosen}
        sealed = sealing.seal(self.key, "fam-1", identity)
        self.family = FakeFamily("fam-1", "ref-family-1", sealed, languages or ["fr"])
        self.sent: list[Notification] = []

    async def by_ref(self, ref: str):
        return self.family if ref == self.family.family_ref else None

    async def existing(self, family_id: str):
        return self.key

    async def notify(self, notification: Notification) -> None:
        self.sent.append(notification)


def notice(ref: str = "ref-family-1", warning: str = "7d") -> RetentionNoticeDue:
    return RetentionNoticeDue(
        notice_id="notice-0001", subject_ref=ref, warning=warning, erase_on=date(2026, 12, 31)
    )


async def test_the_week_warning_goes_by_sms_to_a_family_that_chose_sms() -> None:
    fakes = Fakes(["sms"])
    warnings = RetentionWarnings(fakes, fakes, fakes)  # type: ignore[arg-type]
    assert await warnings.warn(notice(), today=date(2026, 12, 24))
    [sent] = fakes.sent
    assert sent.key == "notice-0001:conservation-semaine"
    assert sent.channel is Channel.SMS
    assert sent.to == "06 12 34 56 78"
    assert sent.recipient_ref == "ref-family-1"
    assert sent.context == {"erase_on": date(2026, 12, 31)}
    assert sent.language == "fr"


async def test_a_family_that_speaks_no_french_is_warned_in_its_language() -> None:
    fakes = Fakes(["email"], languages=["ar", "en"])
    warnings = RetentionWarnings(fakes, fakes, fakes)  # type: ignore[arg-type]
    assert await warnings.warn(notice(warning="30d"), today=date(2026, 12, 1))
    [sent] = fakes.sent
    assert (sent.template, sent.language) == ("conservation-mois", "ar")


async def test_no_warning_for_a_family_elsewhere_or_a_notice_past_its_date() -> None:
    fakes = Fakes(["email"])
    warnings = RetentionWarnings(fakes, fakes, fakes)  # type: ignore[arg-type]
    assert not await warnings.warn(notice("ref-other-9"), today=date(2026, 12, 1))
    assert not await warnings.warn(notice(), today=date(2027, 1, 1))
    assert fakes.sent == []
