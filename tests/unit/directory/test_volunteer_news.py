"""What a volunteer is told, against the fakes: each change of their application's status
(received, under review, accepted, declined, paused, active again; nothing on leaving), by
e-mail or by SMS when they chose it and gave a phone, one key per change (a review that
changes nothing, retried, sends nothing more); each proposal of matching, once per match,
with the need and the département and nothing of the family."""

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from pydantic import ValidationError

from entraide.contracts.events import MatchProposed, RetentionNoticeDue
from entraide.contracts.labels import in_sentence
from entraide.directory.domain.volunteers.application import Application
from entraide.directory.domain.volunteers.rules import Honorability, Status
from entraide.directory.domain.volunteers.status_words import FOR_VOLUNTEER
from entraide.directory.domain.volunteers.volunteer import Volunteer
from entraide.directory.usecases import volunteers
from entraide.directory.usecases.volunteer_news import VolunteerNews
from entraide.directory.usecases.volunteers import Review
from entraide.kit import i18n
from entraide.kit.i18n import Catalogs
from entraide.kit.notifications import Channel
from entraide.kit.notifications.templates import Renderer
from tests.unit.directory.fakes import FakeKeys, FakeUnitOfWork
from tests.unit.directory.test_volunteer_space import FakeNotifier, space_over
from tests.unit.directory.test_volunteer_use_cases import FORM, PPM

SPACE = "http://127.0.0.1:8010"
PHONE = "06 12 34 56 78"


class Documents:
    """`VolunteerDocuments.by_ref` over the fake unit of work's volunteers."""

    def __init__(self, uow: FakeUnitOfWork) -> None:
        self.uow = uow

    async def by_ref(self, ref: str) -> dict[str, Any] | None:
        found = [v for v in self.uow.volunteers.stored.values() if v.volunteer_ref == ref]
        return found[0].state() if found else None


def form(**identity: str) -> Application:
    return FORM.model_copy(update={"identity": FORM.identity.model_copy(update=identity)})


async def setup(
    application: Application = FORM,
) -> tuple[FakeUnitOfWork, FakeKeys, VolunteerNews, FakeNotifier, str]:
    uow, keys, notifier = FakeUnitOfWork(), FakeKeys(), FakeNotifier()
    news = VolunteerNews(keys, notifier, space_url=SPACE + "/")
    volunteer_id = await volunteers.apply(uow, keys, application, news)
    return uow, keys, news, notifier, volunteer_id


def said(notifier: FakeNotifier) -> list[str]:
    return [str(n.context.get("status")) for n in notifier.sent]


async def test_each_change_of_status_is_told_once_by_email() -> None:
    uow, _, news, notifier, volunteer_id = await setup()
    review = [
        Review(status=Status.IN_REVIEW, honorability=Honorability.REQUESTED),
        Review(honorability=Honorability.CLEARED),  # no new status: nothing said
        Review(status=Status.APPROVED),
        Review(capacity=2),
    ]
    for changes in review:
        await volunteers.change(uow, PPM, volunteer_id, changes, news)
    assert said(notifier) == ["submitted", "in-review", "accepted"]
    stored = uow.volunteers.stored[volunteer_id]
    for sent in notifier.sent:
        assert (sent.template, sent.channel, sent.to) == (
            "candidature-benevole",
            Channel.EMAIL,
            "d@example.org",
        )
        assert sent.recipient_ref == stored.volunteer_ref
        assert sent.context["association"] == "Parrains Par Mille"
        assert sent.context["space_url"] == f"{SPACE}/espace-benevole"
    keys = [n.key for n in notifier.sent]
    assert len(set(keys)) == 3
    assert keys[-1] == f"candidature:{stored.volunteer_ref}:4"  # the revision it changed at
    text = Renderer().render("candidature-benevole", Channel.EMAIL, {**notifier.sent[-1].context})
    assert "est acceptée, bienvenue" in text.text


TRANSLATE = Catalogs(["entraide.kit", "entraide.directory"]).gettext_in  # the app's


async def subjects_told(language: str) -> list[str]:
    """The subjects of the e-mails of an application received, reviewed, accepted, paused
    and back, then of another one received and declined, in `language`."""
    uow, keys, notifier = FakeUnitOfWork(), FakeKeys(), FakeNotifier()
    news = VolunteerNews(keys, notifier, space_url=SPACE, translate=TRANSLATE)
    application = FORM.model_copy(update={"written_language": language})
    accepted = await volunteers.apply(uow, keys, application, news)
    for changes in [
        Review(status=Status.IN_REVIEW, honorability=Honorability.CLEARED),
        Review(status=Status.APPROVED),
        Review(status=Status.PAUSED),
        Review(status=Status.APPROVED),
    ]:
        await volunteers.change(uow, PPM, accepted, changes, news)
    declined = await volunteers.apply(uow, keys, application, news)
    await volunteers.change(uow, PPM, declined, Review(status=Status.DECLINED), news)
    return [
        Renderer().render(n.template, Channel.EMAIL, {**n.context}, n.language).subject
        for n in notifier.sent
    ]


@pytest.mark.parametrize(
    ("language", "news"),
    [
        (
            "fr",
            [
                "Votre candidature de bénévole : reçue",
                "Votre candidature de bénévole : en cours d'examen",
                "Votre candidature de bénévole : acceptée",
                "Votre candidature de bénévole : en pause",
                "Votre candidature de bénévole : de nouveau acceptée",
                "Votre candidature de bénévole : reçue",
                "Votre candidature de bénévole : non retenue",
            ],
        ),
        (
            "en",
            [
                "Your volunteer application: received",
                "Your volunteer application: under review",
                "Your volunteer application: accepted",
                "Your volunteer application: paused",
                "Your volunteer application: accepted again",
                "Your volunteer application: received",
                "Your volunteer application: not accepted",
            ],
        ),
    ],
)
async def test_each_status_email_says_its_news_in_its_subject(
    language: str, news: list[str]
) -> None:
    told = await subjects_told(language)
    assert told == news
    assert len(set(told)) == 6  # an inbox tells each status from the others
    # in the word the volunteer's space and the association's page show
    approved = TRANSLATE(language, FOR_VOLUNTEER[Status.APPROVED])
    assert told[2].endswith(": " + in_sentence(approved))


async def test_a_refusal_is_told_and_leaving_is_not() -> None:
    uow, _, news, notifier, volunteer_id = await setup()
    await volunteers.change(uow, PPM, volunteer_id, Review(status=Status.DECLINED), news)
    assert said(notifier) == ["submitted", "declined"]

    uow, _, news, notifier, volunteer_id = await setup()
    await volunteers.change(uow, PPM, volunteer_id, Review(status=Status.LEFT), news)
    assert said(notifier) == ["submitted"]


async def test_pause_and_return_from_the_space_are_told() -> None:
    uow, _, news, notifier, volunteer_id = await setup()
    for changes in [
        Review(status=Status.IN_REVIEW, honorability=Honorability.CLEARED),
        Review(status=Status.APPROVED),
    ]:
        await volunteers.change(uow, PPM, volunteer_id, changes, news)
    space, _, _, _ = space_over(uow)
    space.news = news
    await space.pause(volunteer_id)
    await space.resume(volunteer_id)
    assert said(notifier)[-2:] == ["paused", "active"]


async def test_sms_when_chosen_with_a_phone_else_email() -> None:
    _, _, _, notifier, _ = await setup(form(canal="sms", telephone=PHONE))
    [sent] = notifier.sent
    assert (sent.channel, sent.to) == (Channel.SMS, PHONE)

    _, _, _, notifier, _ = await setup(form(canal="sms"))  # no phone given: e-mail
    [sent] = notifier.sent
    assert (sent.channel, sent.to) == (Channel.EMAIL, "d@example.org")


async def test_an_erased_volunteer_is_told_nothing() -> None:
    uow, keys, news, notifier, volunteer_id = await setup()
    await keys.destroy(volunteer_id)
    review = Review(status=Status.IN_REVIEW, honorability=Honorability.REQUESTED)
    await volunteers.change(uow, PPM, volunteer_id, review, news)
    assert said(notifier) == ["submitted"]


def proposal(ref: str | None, match_id: str = "match-0001", **extra: Any) -> MatchProposed:
    now = datetime.now(UTC)
    return MatchProposed(
        match_id=match_id,
        request_id="request-0001",
        family_ref="family-ref-1",
        association_id="parrains-par-mille",
        volunteer_ref=ref,
        offer_id=None if ref else "offer-0001",
        score=0.8,
        reasons=["à 2,1 km"],
        proposed_at=now,
        expires_at=now + timedelta(days=7),
        **extra,
    )


async def test_a_proposal_tells_the_active_volunteer_the_need_and_the_departement_only() -> None:
    uow, _, news, notifier, volunteer_id = await setup(form(canal="sms", telephone=PHONE))
    documents = Documents(uow)
    ref = uow.volunteers.stored[volunteer_id].volunteer_ref
    given = proposal(ref, needs=["parrainage-de-proximite", "ecoute"], departement="44")
    assert await news.proposed(documents, given) is False  # not approved yet: nothing
    for changes in [
        Review(status=Status.IN_REVIEW, honorability=Honorability.CLEARED),
        Review(status=Status.APPROVED),
    ]:
        await volunteers.change(uow, PPM, volunteer_id, changes, news)
    notifier.sent.clear()

    assert await news.proposed(documents, given) is True
    [sent] = notifier.sent
    assert (sent.template, sent.key, sent.channel) == (
        "proposition-benevole",
        "proposition:match-0001",
        Channel.SMS,
    )
    assert sent.context == {
        "association": "Parrains Par Mille",
        "needs": ["parrainage de proximité", "écoute"],
        "departement": "Loire-Atlantique",
        "where": "en Loire-Atlantique",
        "link": f"{SPACE}/espace-benevole",
        "by_phone": True,
    }
    email = Renderer().render("proposition-benevole", Channel.EMAIL, {**sent.context}).text
    assert "une famille en Loire-Atlantique : parrainage de proximité ; écoute." in email
    # an SMS held overnight or a send retried from a record written before 'where' existed
    older = {k: v for k, v in sent.context.items() if k != "where"}
    email = Renderer().render("proposition-benevole", Channel.EMAIL, older).text
    assert "une famille dans le département Loire-Atlantique : parrainage" in email
    for channel in Channel:
        text = Renderer().render("proposition-benevole", channel, {**sent.context})
        assert "family-ref-1" not in text.text
        assert "parrainage de proximité ; écoute" in text.text
        assert f"{SPACE}/espace-benevole" in text.text
    assert await news.proposed(documents, proposal(None)) is False  # an offer's
    assert await news.proposed(documents, proposal("unknown-ref-0001")) is False
    assert await news.proposed(documents, proposal(ref, "match-0002")) is True  # an older event
    assert notifier.sent[-1].context["needs"] == []
    assert notifier.sent[-1].context["departement"] is None
    assert notifier.sent[-1].context["where"] is None


async def approved(application: Application) -> tuple[FakeUnitOfWork, VolunteerNews, FakeNotifier]:
    uow, _, news, notifier, volunteer_id = await setup(application)
    for changes in [
        Review(status=Status.IN_REVIEW, honorability=Honorability.CLEARED),
        Review(status=Status.APPROVED),
    ]:
        await volunteers.change(uow, PPM, volunteer_id, changes, news)
    return uow, news, notifier


@pytest.mark.parametrize(
    "identity",
    [{}, {"telephone": PHONE}, {"canal": "sms"}],
    ids=["no-phone", "phone-but-email", "sms-without-phone"],
)
async def test_a_volunteer_who_chose_no_call_is_not_told_they_will_be_called(
    identity: dict[str, str],
) -> None:
    """Gérard gave no phone and chose the e-mail: « l'association va prendre contact avec
    vous », never « va vous appeler »."""
    uow, news, notifier = await approved(form(**identity))
    [ref] = [v.volunteer_ref for v in uow.volunteers.stored.values()]
    assert await news.proposed(Documents(uow), proposal(ref)) is True
    sent = notifier.sent[-1]
    assert sent.context["by_phone"] is False
    text = Renderer().render("proposition-benevole", sent.channel, {**sent.context}).text
    assert "appeler" not in text
    assert "l'association va prendre contact avec vous" in text


async def test_a_volunteer_is_told_in_the_language_they_applied_in() -> None:
    """Each message in the public pages' language of their application, a need's name
    too (directory's catalogs, here a stand-in); one made before the language was kept
    reads in French."""
    uow, keys, notifier = FakeUnitOfWork(), FakeKeys(), FakeNotifier()
    in_words = lambda language, text: f"[{language}] {text}"  # noqa: E731
    news = VolunteerNews(keys, notifier, space_url=SPACE, translate=in_words)
    in_portuguese = FORM.model_copy(update={"written_language": "pt"})
    volunteer_id = await volunteers.apply(uow, keys, in_portuguese, news)
    for changes in [
        Review(status=Status.IN_REVIEW, honorability=Honorability.CLEARED),
        Review(status=Status.APPROVED),
    ]:
        await volunteers.change(uow, PPM, volunteer_id, changes, news)
    ref = uow.volunteers.stored[volunteer_id].volunteer_ref
    assert await news.proposed(Documents(uow), proposal(ref, needs=["ecoute"])) is True
    assert [n.language for n in notifier.sent] == ["pt"] * 4
    assert notifier.sent[-1].context["needs"] == ["[pt] Écoute"]
    # their space opens in Portuguese wherever the message is read
    assert notifier.sent[-1].context["link"] == f"{SPACE}/espace-benevole?lang=pt"
    assert notifier.sent[2].context["space_url"] == f"{SPACE}/espace-benevole?lang=pt"
    text = (
        Renderer()
        .render("candidature-benevole", Channel.EMAIL, {**notifier.sent[2].context}, "pt")
        .text
    )
    assert "junto da associação Parrains Par Mille: aceite, bem-vindo(a)." in text

    stored = uow.volunteers.stored[volunteer_id].state()
    del stored["written_language"]  # applied before the language was kept
    assert Volunteer.from_state(stored).written_language == "fr"


def test_a_volunteer_is_written_to_in_a_language_of_the_public_pages_only() -> None:
    for code in i18n.LANGUAGES:
        form = Application.model_validate(FORM.model_dump() | {"written_language": code})
        assert form.written_language == code
    with pytest.raises(ValidationError, match="written_language"):
        Application.model_validate(FORM.model_dump() | {"written_language": "de"})
    assert FORM.written_language == "fr"  # the API without it: French


async def test_privacys_retention_warning_reaches_the_volunteer_once_in_their_language() -> None:
    """Privacy holds no address: its notice names the volunteer's reference, directory
    sends the warning (a month, then a week ahead) in the language they applied in; a
    notice too late (a replay) or for someone directory does not hold sends nothing."""
    uow, _, news, notifier, volunteer_id = await setup(
        FORM.model_copy(update={"written_language": "pt"})
    )
    ref = uow.volunteers.stored[volunteer_id].volunteer_ref
    documents, today = Documents(uow), date(2026, 12, 1)
    notice = RetentionNoticeDue(
        notice_id="notice-0001", subject_ref=ref, warning="30d", erase_on=date(2026, 12, 31)
    )
    before = len(notifier.sent)

    assert await news.retention_warning(documents, notice, today)
    sent = notifier.sent[-1]
    assert (sent.template, sent.channel, sent.to) == (
        "conservation-benevole-mois",
        Channel.EMAIL,
        "d@example.org",
    )
    assert (sent.recipient_ref, sent.language, sent.key) == (
        ref,
        "pt",
        "notice-0001:conservation-benevole-mois",
    )
    mail = Renderer().render(sent.template, Channel.EMAIL, {**sent.context}, sent.language)
    assert "31 de dezembro de 2026" in mail.text
    assert f"{SPACE}/espace-benevole" in mail.text
    late = notice.model_copy(update={"erase_on": date(2026, 11, 30)})
    assert not await news.retention_warning(documents, late, today)
    family = notice.model_copy(update={"subject_ref": "a-family-ref"})
    assert not await news.retention_warning(documents, family, today)
    assert len(notifier.sent) == before + 1


async def test_a_declined_applicant_is_erased_without_a_warning_to_stay() -> None:
    """Privacy erases a declined applicant 3 years after her application's last change too;
    the warning says « Pour rester bénévole, mettez à jour vos disponibilités »: she has no
    availability to update and nothing to stay for, so directory sends her none."""
    uow, _, news, notifier, volunteer_id = await setup()
    await volunteers.change(uow, PPM, volunteer_id, Review(status=Status.DECLINED), news)
    ref = uow.volunteers.stored[volunteer_id].volunteer_ref
    notice = RetentionNoticeDue(
        notice_id="notice-0002", subject_ref=ref, warning="30d", erase_on=date(2026, 12, 31)
    )
    before = len(notifier.sent)

    assert not await news.retention_warning(Documents(uow), notice, date(2026, 12, 1))
    assert len(notifier.sent) == before
