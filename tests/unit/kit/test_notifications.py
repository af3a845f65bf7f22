"""The notifier's pure parts: quiet hours, the templates (French, and a family's in its
language), Brevo's phone format, the seal of a pending record."""

import re
from datetime import UTC, date, datetime, time

import pytest
from jinja2 import UndefinedError

from entraide.kit.notifications import LANGUAGES, Channel
from entraide.kit.notifications.quiet import PARIS, QuietHours, parse_time
from entraide.kit.notifications.seal import Seal
from entraide.kit.notifications.senders import PermanentSendError, brevo_recipient
from entraide.kit.notifications.templates import (
    APPLICATION_STATUS,
    APPLICATION_STATUS_IN,
    PUBLIC_TEMPLATES,
    TEMPLATES,
    Renderer,
)

QUIET = QuietHours(time(20, 0), time(8, 30))


def paris(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=PARIS).astimezone(UTC)


@pytest.mark.parametrize(
    ("asked", "goes"),
    [
        (paris(1, 19, 59), paris(1, 19, 59)),  # before the evening: at once
        (paris(1, 20, 0), paris(2, 8, 30)),  # the evening: next morning
        (paris(1, 23, 45), paris(2, 8, 30)),
        (paris(2, 0, 10), paris(2, 8, 30)),  # after midnight: this morning
        (paris(2, 8, 29), paris(2, 8, 30)),
        (paris(2, 8, 30), paris(2, 8, 30)),  # the morning: at once
    ],
)
def test_an_sms_waits_for_the_end_of_the_quiet_hours(asked: datetime, goes: datetime) -> None:
    assert QUIET.next_allowed(Channel.SMS, asked) == goes


def test_an_email_never_waits_and_summer_time_is_paris_time() -> None:
    assert QUIET.next_allowed(Channel.EMAIL, paris(1, 23)) == paris(1, 23)
    summer = datetime(2026, 7, 1, 21, 0, tzinfo=PARIS).astimezone(UTC)
    morning = datetime(2026, 7, 2, 8, 30, tzinfo=PARIS).astimezone(UTC)
    assert QUIET.next_allowed(Channel.SMS, summer) == morning
    assert parse_time("8:30") == time(8, 30)


CONTEXT = {
    "code": "K7P-4QX",
    "received_at": paris(1, 10),
    "association": "AFEV",
    "erase_on": date(2026, 12, 31),
    "status": "accepted",
    "link": "http://127.0.0.1:8010/espace",
    "expires_at": paris(1, 10, 15),
    "on": date(2026, 12, 1),
    "proposals": 3,
    "followups": 1,
    "alerts": 0,
    "offer": "Parrainage de proximité",
    "confirmed_on": date(2026, 5, 4),
    "needs": ["parrainage de proximité"],
    "departement": "44",
    "space_url": "http://127.0.0.1:8010/espace-benevole",
    "by_phone": True,
    "kind": "rectification",  # droits-reponse: a rectification...
    "outcome": "done",  # ...done
    "waiting": 4,  # demandes-a-confirmer: families' own requests waiting...
    "since": paris(1, 10),  # ...the oldest since then
    "reason": "out-of-reach",  # demande-non-retenue: why her own request was not kept
}


@pytest.mark.parametrize("template", TEMPLATES)
def test_every_template_reads_in_french_by_both_channels(template: str) -> None:
    renderer = Renderer()
    mail = renderer.render(template, Channel.EMAIL, CONTEXT)
    sms = renderer.render(template, Channel.SMS, CONTEXT)
    assert mail.subject
    assert mail.text.startswith("Bonjour,")
    assert sms.text.startswith("Entraide : ")
    assert len(sms.text) <= 160 * 2  # two SMS at most
    for text in (mail.subject, mail.text, sms.text):
        assert not re.search(r"\d{4}-\d{2}-\d{2}", text)  # no ISO date
        assert "{{" not in text
        assert "None" not in text


def test_the_templates_say_what_the_brief_promises() -> None:
    renderer = Renderer()
    assert (
        "une association va vous appeler"
        in renderer.render("demande-suite", Channel.SMS, CONTEXT).text
    )
    warning = renderer.render("conservation-mois", Channel.EMAIL, CONTEXT)
    assert "31 décembre 2026" in warning.text
    assert warning.subject == "Vos informations seront effacées le 31/12/2026"
    waiting = renderer.render("demandes-a-confirmer", Channel.EMAIL, CONTEXT)
    assert waiting.subject == "Entraide : 4 demandes de familles attendent votre réponse"
    assert "la plus ancienne depuis le 01/12/2026" in waiting.text
    reminder = renderer.render("rappel-offre", Channel.EMAIL, CONTEXT)
    assert "04/05/2026" in reminder.text
    assert CONTEXT["link"] in reminder.text
    assert (
        "10\u00a0h\u00a015 (heure de Paris)"
        in renderer.render("code-contact", Channel.EMAIL, CONTEXT).text
    )


# « call » in each language a family is written to in, as `demande-suite` says it
CALL_WORDS = {"fr": "appel", "falc": "appel", "en": "call", "ar": "تتصل", "pt": "telefon"}
CALL_WORDS |= {"ro": "suna"}
# the news that promise a call only to a family that chose one, or a volunteer who gave
# a phone and chose to be reached on it
CALLING = ("demande-suite", "accompagnement-interrompu", "proposition-benevole")


@pytest.mark.parametrize("template", CALLING)
@pytest.mark.parametrize("language", [*CALL_WORDS])
def test_a_family_that_chose_no_call_is_not_told_it_will_be_called(
    language: str, template: str
) -> None:
    """Chose the e-mail or an SMS only: the association will contact it, not call it."""
    renderer = Renderer()
    by_phone = renderer.render(template, Channel.EMAIL, CONTEXT, language)
    assert CALL_WORDS[language] in by_phone.subject + by_phone.text
    written = CONTEXT | {"by_phone": False}
    mail = renderer.render(template, Channel.EMAIL, written, language)
    sms = renderer.render(template, Channel.SMS, written, language)
    for text in (mail.subject, mail.text, sms.text):
        assert CALL_WORDS[language] not in text.lower()
        assert "{{" not in text
    said = "link" if template == "proposition-benevole" else "code"  # what it must still say
    assert str(CONTEXT[said]) in mail.text
    assert str(CONTEXT[said]) in sms.text


@pytest.mark.parametrize("template", CALLING)
@pytest.mark.parametrize("language", [*CALL_WORDS])
def test_a_message_queued_before_by_phone_existed_still_goes_out(
    language: str, template: str
) -> None:
    """An SMS held by the quiet hours, stored before `by_phone` was given: it renders,
    without promising a call it may not be (StrictUndefined refused it)."""
    queued = {key: value for key, value in CONTEXT.items() if key != "by_phone"}
    for channel in (Channel.EMAIL, Channel.SMS):
        text = Renderer().render(template, channel, queued, language).text
        assert CALL_WORDS[language] not in text.lower()


GREETINGS = {"fr": "Bonjour,", "falc": "Bonjour,", "en": "Hello,", "ar": "مرحباً،"}
GREETINGS |= {"pt": "Olá,", "ro": "Bună ziua,"}


def test_the_greetings_below_cover_every_language_a_family_is_written_to_in() -> None:
    assert set(GREETINGS) == set(LANGUAGES)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("template", PUBLIC_TEMPLATES)
def test_a_familys_messages_read_in_its_language(template: str, language: str) -> None:
    renderer = Renderer()
    mail = renderer.render(template, Channel.EMAIL, CONTEXT, language)
    sms = renderer.render(template, Channel.SMS, CONTEXT, language)
    french = renderer.render(template, Channel.EMAIL, CONTEXT)
    assert mail.text.startswith(GREETINGS[language])
    assert (mail.text == french.text) == (language == "fr")  # its own text, not French
    assert sms.text.startswith("Entraide")
    assert len(sms.text) <= 160 * 2 if sms.text.isascii() else len(sms.text) <= 70 * 3
    for text in (mail.subject, mail.text, sms.text):
        assert not re.search(r"\d{4}-\d{2}-\d{2}", text)  # no ISO date
        assert "{{" not in text
        assert "None" not in text
    for value in ("code", "association", "link", "space_url"):
        if CONTEXT[value] in french.text:  # what the French says, each language says
            assert CONTEXT[value] in mail.text


# a refused parent's links, as long as the network's own address makes them
REFUSAL = CONTEXT | {
    "code": "K7QD-9XRA-M3TE-HW2C",  # as long as a real one
    "status_url": "https://entraide.reseau-familles.example.org/suivi?lang=pt",
    "door_url": "https://entraide.reseau-familles.example.org/demander-aide?lang=pt",
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("reason", ["out-of-reach", "unreachable"])
def test_a_refused_parent_reads_where_to_turn_in_her_language(reason: str, language: str) -> None:
    """Out of the network's reach: the emergency numbers (the child's 119 first); not
    reached: the door, to ask again. Both: her code, and /suivi in the e-mail."""
    renderer = Renderer()
    context = REFUSAL | {"reason": reason}
    mail = renderer.render("demande-non-retenue", Channel.EMAIL, context, language)
    sms = renderer.render("demande-non-retenue", Channel.SMS, context, language)
    other = "unreachable" if reason == "out-of-reach" else "out-of-reach"
    elsewhere = renderer.render(
        "demande-non-retenue", Channel.EMAIL, context | {"reason": other}, language
    )
    assert mail.subject != elsewhere.subject
    assert REFUSAL["code"] in mail.text
    assert REFUSAL["code"] in sms.text
    assert REFUSAL["status_url"] in mail.text
    if reason == "out-of-reach":
        assert "119" in mail.text
        assert "119" in sms.text
        assert "115" in mail.text
        assert "3114" in mail.text
        assert REFUSAL["door_url"] not in mail.text
    else:
        assert REFUSAL["door_url"] in mail.text
        assert REFUSAL["door_url"] in sms.text
        assert "119" not in mail.text
    assert len(sms.text) <= 160 * 2 if sms.text.isascii() else len(sms.text) <= 70 * 3


def test_a_refusal_says_why_or_is_not_sent() -> None:
    """No reason given: an error before it is recorded, never a message that guesses."""
    queued = {key: value for key, value in CONTEXT.items() if key != "reason"}
    with pytest.raises(UndefinedError):
        Renderer().render("demande-non-retenue", Channel.EMAIL, queued)


def test_a_long_date_has_its_months_name_in_the_messages_language() -> None:
    renderer = Renderer()
    assert (
        "31 December 2026"
        in renderer.render("conservation-mois", Channel.EMAIL, CONTEXT, "en").text
    )
    assert (
        "em 31 de dezembro de 2026"
        in renderer.render("conservation-mois", Channel.EMAIL, CONTEXT, "pt").text
    )
    assert (
        "31 décembre 2026"
        in renderer.render("conservation-mois", Channel.EMAIL, CONTEXT, "falc").text
    )


def test_an_hour_reads_as_its_language_writes_it_in_paris_time() -> None:
    renderer = Renderer()
    english = renderer.render("code-contact", Channel.EMAIL, CONTEXT, "en").text
    assert "It expires on 1 December 2026 at\u00a010:15 (Paris time)." in english
    assert (
        "Expiră la ora 10:15." in renderer.render("code-contact", Channel.SMS, CONTEXT, "ro").text
    )
    easy = renderer.render("code-contact", Channel.SMS, CONTEXT, "falc").text
    assert "jusqu'à 10 h 15" in easy  # easy French writes hours the French way


# the rights channel's moments in a sentence, past midnight in Paris (23:03 UTC the 1st)
LATE = {"expires_at": datetime(2026, 12, 1, 23, 3, tzinfo=UTC), "on": date(2026, 12, 2)}
LATE |= {"code": "123456", "link": "http://127.0.0.1:8030/vos-droits/export/t", "parts": 1}
IN_WORDS = {
    "fr": ("le 2 décembre 2026 à\u00a00\u00a0h\u00a003 (heure de Paris)", "le 2 décembre 2026"),
    "falc": (
        "jusqu'au 2 décembre 2026 à\u00a00\u00a0h\u00a003 (heure de Paris)",
        "le 2 décembre 2026",
    ),
    "en": ("on 2 December 2026 at\u00a000:03 (Paris time)", "on 2 December 2026"),
    "ar": ("2 ديسمبر 2026 الساعة\u00a000:03 (بتوقيت باريس)", "2 ديسمبر 2026"),
    "pt": ("em 2 de dezembro de 2026 às\u00a000:03 (hora de Paris)", "desde 2 de dezembro de 2026"),
    "ro": ("pe 2 decembrie 2026 la ora\u00a000:03 (ora Parisului)", "pe 2 decembrie 2026"),
}


@pytest.mark.parametrize("language", sorted(IN_WORDS))
def test_the_rights_channels_dates_read_in_words_in_the_persons_language(language: str) -> None:
    renderer = Renderer()
    moment, day = IN_WORDS[language]
    code = renderer.render("code-contact", Channel.EMAIL, LATE, language).text
    erased = renderer.render("droits-effacement", Channel.EMAIL, LATE, language).text
    copy = renderer.render("droits-export", Channel.EMAIL, LATE, language).text
    assert moment in code
    assert day in erased
    assert moment.split(" ", 1)[1] in copy  # valid until the same moment
    assert not re.search(r"\d\d/\d\d/\d{4}", code + erased + copy)


def test_a_message_not_written_in_a_language_reads_in_french() -> None:
    renderer = Renderer()
    french = renderer.render("rappel-offre", Channel.EMAIL, CONTEXT)  # for associations
    assert renderer.render("rappel-offre", Channel.EMAIL, CONTEXT, "en") == french
    unknown = renderer.render("demande-recue", Channel.SMS, CONTEXT, "tr")
    assert unknown == renderer.render("demande-recue", Channel.SMS, CONTEXT)


def test_a_missing_value_or_an_unknown_template_is_an_error_not_a_hole() -> None:
    renderer = Renderer()
    with pytest.raises(Exception, match="code"):
        renderer.render("demande-recue", Channel.EMAIL, {"received_at": paris(1, 10)})
    with pytest.raises(LookupError):
        renderer.render("inconnu", Channel.EMAIL, CONTEXT)


@pytest.mark.parametrize(
    ("phone", "brevo"),
    [
        ("06 12 34 56 78", "33612345678"),
        ("07.12.34.56.78", "33712345678"),
        ("+33 6 12 34 56 78", "33612345678"),
        ("0033612345678", "33612345678"),
        ("+262 692 12 34 56", "262692123456"),
    ],
)
def test_phone_numbers_go_to_brevo_with_their_country_code(phone: str, brevo: str) -> None:
    assert brevo_recipient(phone) == brevo


@pytest.mark.parametrize("phone", ["12", "abc", "+0612"])
def test_a_number_that_is_none_is_refused_for_good(phone: str) -> None:
    with pytest.raises(PermanentSendError):
        brevo_recipient(phone)


def test_the_seal_opens_only_for_its_own_record() -> None:
    seal = Seal("secret")
    sealed = seal.seal("key-1", {"to": "awa@example.org", "context": {"on": date(2026, 12, 1)}})
    assert "awa" not in sealed
    assert seal.open("key-1", sealed) == {
        "to": "awa@example.org",
        "context": {"on": "2026-12-01"},
    }
    with pytest.raises(Exception):  # noqa: B017, PT011
        seal.open("key-2", sealed)
    with pytest.raises(Exception):  # noqa: B017, PT011
        Seal("another").open("key-1", sealed)


def test_a_volunteers_application_status_is_worded_in_every_language() -> None:
    assert set(APPLICATION_STATUS_IN) == set(LANGUAGES)
    for language, words in APPLICATION_STATUS_IN.items():
        assert words.keys() == APPLICATION_STATUS.keys(), language
        mail = Renderer().render("candidature-benevole", Channel.EMAIL, CONTEXT, language)
        assert words["accepted"] in mail.text
