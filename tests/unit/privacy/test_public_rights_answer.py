"""A rectification or an objection asked at the public rights channel ends with a message
to the person (GDPR art. 12(3)-(4): the action taken, or why none was), as an erasure's
« done » does: once its case is closed (corrected, refused by the officer, moot, no record;
an objection done or refused), in the language they asked in, once, keyed on the request;
then the contact is forgotten. They were never told before: the contact was forgotten as
soon as the case opened."""

from datetime import timedelta

import pytest

from entraide.contracts.events import (
    ObjectionAcknowledged,
    RectificationAcknowledged,
    RectificationCompleted,
)
from entraide.kit.notifications import LANGUAGES, Channel
from entraide.kit.notifications.templates import Renderer
from entraide.privacy.domain.cases import CaseKind, CaseStatus
from tests.unit.privacy.test_public_rights import NOW, _ask, _channel

REF = "fam-ref-0001"


async def _proved(kind: CaseKind, language: str = "fr"):
    world, public, _, seal, _, notifier = _channel()
    asked = await _ask(public, kind=kind, language=language)
    proved = await public.prove(asked.request.request_id, notifier.sent[0].context["code"])
    (case_id,) = proved.request.case_ids
    return world, public, seal, notifier, asked.request.request_id, case_id


def _flag(case_id: str, at) -> RectificationAcknowledged:
    return RectificationAcknowledged(
        case_id=case_id, subject_ref=REF, service="intake", completed_at=at, counts={"families": 1}
    )


def _answers(notifier) -> list:
    return [n for n in notifier.sent if n.template == "droits-reponse"]


async def test_a_rectification_corrected_is_told_once_even_if_its_completion_comes_again() -> None:
    world, public, seal, notifier, request_id, case_id = await _proved(CaseKind.RECTIFICATION, "pt")
    assert request_id in seal.sealed, "kept sealed until the answer"
    await world.rights.record_ack(_flag(case_id, NOW))
    assert await public.deliver() == 0, "not while the record waits for its correction"
    done_at = NOW + timedelta(days=3)
    completion = RectificationCompleted(
        case_id=case_id, subject_ref=REF, service="intake", completed_at=done_at
    )
    assert await world.rights.record_ack(completion)
    assert world.cases.cases[case_id].status is CaseStatus.CLOSED

    assert await public.deliver() == 1
    assert not await world.rights.record_ack(completion), "a redelivery changes nothing"
    assert await public.deliver() == 0, "told once"
    (told,) = _answers(notifier)
    assert (told.language, told.to, told.key) == (
        "pt",
        "0612345678",
        f"{request_id}:droits-reponse",
    )
    assert told.context == {"kind": "rectification", "outcome": "done", "on": done_at}
    assert request_id not in seal.sealed, "forgotten once answered"


@pytest.mark.parametrize(
    ("kind", "decision", "outcome"),
    [
        (CaseKind.RECTIFICATION, "refused", "refused"),
        (CaseKind.RECTIFICATION, "not-applicable", "moot"),
        (CaseKind.OBJECTION, "refused", "refused"),
    ],
)
async def test_a_case_the_officer_closes_is_told_with_its_outcome(kind, decision, outcome) -> None:
    world, public, _, notifier, _, case_id = await _proved(kind)
    world.clock.advance(days=2)
    assert await world.rights.resolve(case_id, actor="dpo-1", decision=decision)

    assert await public.deliver() == 1
    assert await public.deliver() == 0
    (told,) = _answers(notifier)
    assert told.context == {"kind": kind.value, "outcome": outcome, "on": NOW + timedelta(days=2)}


async def test_an_objection_done_by_its_owner_and_a_rectification_with_no_record_are_told() -> None:
    world, public, _, notifier, _, case_id = await _proved(CaseKind.OBJECTION)
    await world.rights.record_ack(
        ObjectionAcknowledged(
            case_id=case_id, subject_ref=REF, service="intake", completed_at=NOW, counts={}
        )
    )
    assert await public.deliver() == 1
    assert _answers(notifier)[0].context["outcome"] == "done"

    world, public, _, notifier, _, case_id = await _proved(CaseKind.RECTIFICATION)
    await world.rights.record_ack(
        RectificationAcknowledged(
            case_id=case_id, subject_ref=REF, service="intake", completed_at=NOW, counts={}
        )
    )
    assert await public.deliver() == 1
    assert _answers(notifier)[0].context["outcome"] == "moot"


# the day in words, in each language (2 December 2026)
DAY = {
    "fr": "2 décembre 2026",
    "falc": "2 décembre 2026",
    "en": "2 December 2026",
    "ar": "2 ديسمبر 2026",
    "pt": "2 de dezembro de 2026",
    "ro": "2 decembrie 2026",
}
CASES = [(k, o) for k in ("rectification", "objection") for o in ("done", "refused", "moot")]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("kind", "outcome"), CASES)
def test_the_answer_reads_in_each_language_with_its_day_in_words(language, kind, outcome) -> None:
    renderer = Renderer()
    context = {"kind": kind, "outcome": outcome, "on": NOW + timedelta(days=2)}
    mail = renderer.render("droits-reponse", Channel.EMAIL, context, language)
    sms = renderer.render("droits-reponse", Channel.SMS, context, language).text
    french = renderer.render("droits-reponse", Channel.EMAIL, context)

    assert mail.subject
    assert len(mail.text.split("\n\n")) >= 3, "greeting, answer, signature"
    assert len(sms) > 40
    assert (DAY[language] in mail.text) is (outcome != "refused")
    assert "/20" not in mail.text + sms, "no 02/12/2026"
    assert ("www.cnil.fr/plaintes" in mail.text) is (outcome != "done")
    assert ("www.cnil.fr/plaintes" in sms) is (outcome != "done")
    if language not in ("fr", "falc"):
        assert mail.text != french.text


def test_the_french_answer_says_what_was_done_or_why_not_and_where_to_complain() -> None:
    renderer = Renderer()
    on = NOW + timedelta(days=2)
    done = renderer.render(
        "droits-reponse", Channel.EMAIL, {"kind": "rectification", "outcome": "done", "on": on}
    )
    refused = renderer.render(
        "droits-reponse", Channel.EMAIL, {"kind": "objection", "outcome": "refused", "on": on}
    )

    assert done.subject == "Réponse à votre demande de rectification"
    assert (
        "Votre demande de rectification : votre fiche a été corrigée le 2 décembre 2026 "
        "par l'équipe qui la tient." in done.text
    )
    assert "CNIL" not in done.text
    assert "Votre opposition n'a pas été retenue." in refused.text
    assert "Vous pouvez adresser une réclamation à la CNIL : www.cnil.fr/plaintes" in refused.text
