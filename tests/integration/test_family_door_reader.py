"""Who reads a parent's request, as the door's answer and /suivi tell her: the answer said
« Une personne de l'association va la relire » whether she had chosen an association (from
its offer) or none. Sent to none, the request waits in the queue of every association of
the network in her département and of the network's coordination, and the association that
will support her is found afterwards (/suivi names it once it has said yes): that is what
she is told. Sent to one, that association is named, by its name, never its id."""

import html
import re

import httpx

from entraide.intake.app import create_app as intake_app
from entraide.intake.usecases.self_requests import FamilyDoor
from entraide.kit.deps import lookup
from tests.integration.test_family_door import code_of, form
from tests.support import serving

NETWORK = {
    "fr": "Une personne d'une association du réseau près de chez vous, ou de la coordination "
    "du réseau, va la relire",
    "en": "Someone from one of the network's associations near you, or from the network's "
    "coordination, will read it",
}
TOLD_NAME_LATER = {
    "fr": "la page « Suivre ma demande » vous dira son nom.",
    "en": "the “Track my request” page will tell you its name.",
}
OLD = "Une personne de l'association va la relire"


def lead(page: str) -> str:
    found = re.search(r'<p class="fr-text--lead"[^>]*>(.*?)</p>', page, re.S)
    assert found, page
    return html.unescape(found.group(1))


async def explained(client: httpx.AsyncClient, code: str, language: str) -> str:
    page = (await client.post(f"/suivi?lang={language}", data={"code": code})).text
    found = re.search(r'<h2 class="fr-callout__title">[^<]+</h2>\s*<p[^>]*>(.*?)</p>', page)
    assert found, page
    return html.unescape(found.group(1))


async def test_the_parent_is_told_who_reads_her_request_chosen_association_or_none(
    intake_settings,
) -> None:
    app = intake_app(intake_settings)
    answers: dict[tuple[str, str], tuple[str, str]] = {}
    async with serving(app) as intake:
        door = lookup(app, FamilyDoor)
        for n, (language, chosen) in enumerate(
            [("fr", "afev"), ("fr", ""), ("fr", "centres-sociaux"), ("en", "afev"), ("en", "")]
        ):
            contact = {"parent.phone": f"06 98 76 54 0{n}", "parent.email": f"p{n}@example.org"}
            sent = await intake.post(
                f"/demander-aide?lang={language}",
                data=form(door, association_id=chosen, **contact),
            )
            assert sent.status_code == 200, sent.text
            said = await explained(intake, code_of(sent.text), language)
            answers[language, chosen] = (lead(sent.text), said)

    for (language, chosen), (answer, status) in answers.items():
        assert OLD not in answer
        assert OLD not in status
        if chosen:
            assert chosen not in answer  # a name, never the id
            assert NETWORK[language] not in answer
        else:
            assert answer.startswith(NETWORK[language]), answer
            assert TOLD_NAME_LATER[language] in answer
            assert status == answer  # /suivi says the same while it waits
    assert answers["fr", "afev"][0].startswith("Une personne de l'AFEV va la relire, puis")
    assert answers["fr", "afev"][1].startswith("Une personne de l'AFEV va la relire")
    assert answers["fr", "centres-sociaux"][0].startswith(
        "Une personne de la Fédération des centres sociaux va la relire"
    )
    assert answers["en", "afev"][0].startswith("Someone from AFEV will read it")
    assert answers["en", "afev"][1].startswith("Someone from AFEV will read it")
