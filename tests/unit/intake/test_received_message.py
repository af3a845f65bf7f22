"""The « demande reçue » message says what the door's answer page says about who reads the
request: the association the parent chose, by its name, or, sent to none, an association
of the network near her or the network's coordination; and the day in words."""

from datetime import UTC, datetime

import pytest

from entraide.intake.usecases.self_requests import FamilyDoor
from entraide.kit.notifications import Channel
from entraide.kit.notifications.templates import Renderer
from tests.unit.intake.fakes import FakeKeys, FakeUnitOfWork
from tests.unit.intake.test_family_door import FakeNotifier, FakeQueue, submission

ON_THE_FIRST = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


async def received_email(language: str, association_id: str | None) -> str:
    uow, notifier = FakeUnitOfWork(), FakeNotifier()
    door = FamilyDoor(FakeQueue(), uow.families, FakeKeys(), notifier)
    sent = await door.submit(
        submission(language=language, association_id=association_id), ON_THE_FIRST
    )
    told = notifier.sent[f"{sent.self_id}:demande-recue:email"]
    return Renderer().render("demande-recue", Channel.EMAIL, told.context, told.language).text


@pytest.mark.parametrize(
    ("language", "association_id", "reader"),
    [
        ("fr", "afev", "Une personne de l'AFEV va relire votre demande, puis prendre contact"),
        ("fr", "parrains-par-mille", "Une personne de Parrains Par Mille va relire"),
        ("falc", "centres-sociaux", "Une personne de la Fédération des centres sociaux va"),
        ("en", "afev", "Someone from AFEV will read your request, then get in touch"),
        ("ar", "afev", "سيقرأ شخص من جمعية AFEV طلبك"),
        ("pt", "unaf", "Uma pessoa da associação UNAF vai ler o seu pedido"),
        ("ro", "unaf", "O persoană de la asociația UNAF va citi cererea"),
    ],
)
async def test_the_association_she_chose_is_named_as_the_answer_page_names_it(
    language: str, association_id: str, reader: str
) -> None:
    text = await received_email(language, association_id)
    assert reader in text
    assert "équipe" not in text
    assert "team" not in text


@pytest.mark.parametrize(
    ("language", "reader"),
    [
        ("fr", "Une personne d'une association du réseau près de chez vous, ou de la "),
        ("falc", "Cette personne travaille dans une association près de chez vous"),
        ("en", "Someone from one of the network's associations near you, or from the"),
        ("ar", "سيقرأ طلبك شخص من إحدى جمعيات الشبكة القريبة منك، أو من تنسيق الشبكة"),
        ("pt", "Uma pessoa de uma associação da rede perto de si, ou da coordenação"),
        ("ro", "O persoană de la o asociație din rețea aproape de dumneavoastră sau de la"),
    ],
)
async def test_sent_to_no_association_it_is_read_near_her_or_by_the_coordination(
    language: str, reader: str
) -> None:
    text = await received_email(language, None)
    assert reader in text
    assert "équipe" not in text
    assert "team" not in text


@pytest.mark.parametrize(
    ("language", "day"),
    [
        ("fr", "le 1er décembre 2026"),
        ("falc", "le 1er décembre 2026"),
        ("en", "on 1 December 2026"),
        ("pt", "em 1 de dezembro de 2026"),
        ("ro", "pe 1 decembrie 2026"),
    ],
)
async def test_the_day_it_was_received_reads_in_words(language: str, day: str) -> None:
    text = await received_email(language, None)
    assert day in text
    assert "01/12/2026" not in text
