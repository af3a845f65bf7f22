"""The family's own door on the real broker and store, intake and matching running: a
parent asks for help on the public page and gets a code; nothing reaches matching until
staff of the association confirm it on « À confirmer »; then matching has the request and
the status page says so. Scripts and floods are slowed or refused, and no queue floods."""

import html
import json
import re
import time
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from entraide.contracts.events import ErasureRequested
from entraide.contracts.vocab import ErasureReason, SubjectKind
from entraide.intake.app import create_app as intake_app
from entraide.intake.entrypoints.http import family_door_form as door_form
from entraide.intake.entrypoints.http import forms
from entraide.intake.settings import IntakeSettings
from entraide.intake.usecases.rights import IntakeRights
from entraide.intake.usecases.self_requests import FamilyDoor
from entraide.kit.deps import lookup
from entraide.matching.app import create_app as matching_app
from tests.smtp_server import running_smtp_server
from tests.support import eventually, serving


@pytest.fixture
def mailbox():
    """A real SMTP server: intake's notifier sends the family's e-mails there (its
    settings' `smtp_port`: `mailing`)."""
    with running_smtp_server() as box:
        yield box


def mailing(settings: IntakeSettings, mailbox) -> IntakeSettings:
    """Intake's settings, its notifier sending to the test's SMTP server."""
    return settings.model_copy(update={"smtp_port": mailbox.port})


PARENT = {"parent.first_name": "Awa", "parent.last_name": "Traoré"}


def form(door: FamilyDoor, **changes: object) -> dict[str, object]:
    """The form as a parent fills it, started 30 s ago."""
    return {
        **PARENT,
        "parent.phone": "06 98 76 54 32",
        "parent.email": "awa.traore@example.org",
        "ages": "3, 7",
        "postal_code": "44000",
        "commune": "Nantes",
        "needs": ["repit-garde-ponctuelle", "ecoute"],
        "availability": ["we-afternoon"],
        "contact_preferences": ["sms", "email"],
        "callback_times": "après 18 h",
        "message": "Seule avec deux enfants, épuisée.",
        "consent.matching": "oui",
        "association_id": "parrains-par-mille",
        "offer_id": "offre-test",
        "debut": door.form_token(time.time() - 30),
        "site_web": "",
    } | changes


def code_of(page: str) -> str:
    found = re.search(r'id="code-suivi">([A-Z0-9-]+)<', page)
    assert found, page
    return found.group(1)


async def status_of(client: httpx.AsyncClient, code: str) -> str:
    page = (await client.post("/suivi", data={"code": code})).text
    found = re.search(r'<h2 class="fr-callout__title">([^<]+)</h2>', page)
    assert found, page
    return found.group(1)


async def test_a_family_asks_staff_confirm_and_the_request_reaches_matching(
    intake_settings, matching_settings, mongo, staff_bearer, dev_issuer, mailbox
) -> None:
    app = intake_app(mailing(intake_settings, mailbox))
    db = mongo[intake_settings.database]
    async with (
        serving(app) as intake,
        serving(matching_app(dev_issuer.settings_for(matching_settings))) as matching,
    ):
        door = lookup(app, FamilyDoor)
        empty = await intake.get("/demander-aide?association=parrains-par-mille&offre=offre-test")
        assert empty.status_code == 200
        assert 'name="association_id" value="parrains-par-mille"' in empty.text
        assert "Parrains Par Mille" in empty.text

        wrong = await intake.post("/demander-aide", data=form(door, ages="", commune="Paris"))
        assert wrong.status_code == 422
        assert 'id="ages-erreur"' in wrong.text
        assert "Indiquez l&#39;âge" in wrong.text
        assert "Cette commune ne correspond pas au code postal" in wrong.text

        sent = await intake.post("/demander-aide", data=form(door))
        assert sent.status_code == 200, sent.text
        code = code_of(sent.text)
        assert await status_of(intake, code) == "Votre demande est reçue"

        [queued] = await db["self_requests"].find({}).to_list()
        raw = json.dumps(queued, default=str, ensure_ascii=False)
        for value in ("Traoré", "06 98", "awa.traore", "épuisée", "après 18 h", code):
            assert value not in raw  # sealed, the code as a hash
        assert await db["families"].count_documents({}) == 0  # not published: not trusted
        [mail] = mailbox.to("awa.traore@example.org")  # by the channel the family chose
        assert mail["Subject"] == "Votre demande d'aide est bien reçue"
        assert code in mail.get_content()

        await dev_issuer.sign_in(intake, "ppm-nantes")
        queue = (await intake.get("/a-confirmer")).text
        assert "Awa Traoré" in queue
        assert "après 18 h" in queue
        self_id = re.search(r'action="/a-confirmer/([0-9a-f]+)"', queue).group(1)  # type: ignore[union-attr]
        csrf = re.search(r'name="csrf" value="([^"]+)"', queue).group(1)  # type: ignore[union-attr]
        done = await intake.post(
            f"/a-confirmer/{self_id}", data={"csrf": csrf, "action": "confirmer"}
        )
        assert done.status_code == 303
        assert done.headers["location"].startswith("/a-confirmer?resultat=")
        assert "Demande confirmée" in (await intake.get(done.headers["location"])).text
        again = await intake.post(
            f"/a-confirmer/{self_id}", data={"csrf": csrf, "action": "confirmer"}
        )
        assert again.status_code == 409

        family = await db["families"].find_one({"family_ref": queued["family_ref"]})
        request_id = family["requests"][0]["request_id"]
        assert family["requests"][0]["channel"] == "family"
        matching.headers.update(staff_bearer)

        async def seen() -> dict[str, object] | None:
            answer = await matching.get(f"/api/v1/requests/{request_id}")
            return answer.json() if answer.status_code == 200 else None

        view = await eventually(seen, timeout=60, what="matching's view of the request")
        intake.cookies.clear()
        assert await status_of(intake, code) in (
            "Votre demande est confirmée",
            "Une association va vous appeler",
            "En attente d'une place",
        )
        bad = await intake.post("/suivi", data={"code": "AAAA-AAAA-AAAA-AAAA"})
        assert bad.status_code == 422
        assert "ne correspond à aucune demande" in bad.text
        assert "dont les données ont été effacées" in html.unescape(bad.text)  # erased: said

        # erased through privacy: the family door's queue keeps nothing of it either
        erased = await lookup(app, IntakeRights).erase(
            ErasureRequested(
                case_id="case-door-erasure",
                subject_ref=queued["family_ref"],
                subject_kind=SubjectKind.FAMILY,
                deadline=datetime.now(UTC) + timedelta(days=30),
                reason=ErasureReason.RIGHTS_REQUEST,
            )
        )
        assert erased["own_requests"] == 1
        assert await db["self_requests"].count_documents({"family_ref": queued["family_ref"]}) == 0
        assert await db["families"].count_documents({"family_ref": queued["family_ref"]}) == 0

    async def test_scripts_floods_and_one_phone_repeated_do_not_fill_the_queue(
        intake_settings, mongo, mailbox
    ) -> None:
        app = intake_app(mailing(intake_settings, mailbox))
        db = mongo[intake_settings.database]
        async with serving(app) as intake:
            door = lookup(app, FamilyDoor)
            trap = await intake.post("/demander-aide", data=form(door, site_web="http://x.example"))
            fast = await intake.post(
                "/demander-aide", data=form(door, debut=door.form_token(time.time()))
            )
            forged = await intake.post("/demander-aide", data=form(door, debut="1.abc"))
            for answer in (trap, fast, forged):
                assert answer.status_code == 422
                assert "envoyé trop vite ou a expiré" in answer.text
            assert await db["self_requests"].count_documents({}) == 0

            answers = []
            for i in range(4):  # one phone number, four names
                data = form(door, **{"parent.first_name": f"Prénom{i}", "parent.email": ""})
                answers.append(
                    await intake.post(
                        "/demander-aide", data=data | {"contact_preferences": ["sms"]}
                    )
                )
            assert [a.status_code for a in answers] == [200, 200, 200, 429]
            assert "Plusieurs demandes ont déjà été envoyées aujourd" in answers[-1].text
            assert await db["self_requests"].count_documents({}) == 3

            statuses = []
            for i in range(1000):  # one address
                data = form(door, **{"parent.phone": "", "parent.email": f"p{i}@example.org"})
                answer = await intake.post(
                    "/demander-aide", data=data | {"contact_preferences": ["email"]}
                )
                statuses.append(answer.status_code)
            refused = statuses.count(429)
            queued = await db["self_requests"].count_documents({})
            page = await intake.post("/demander-aide", data=form(door))
            guesses = [  # codes guessed from one address: 30 an hour, then refused
                (await intake.post("/suivi", data={"code": "AAAA-AAAA-AAAA-AAAA"})).status_code
                for _ in range(31)
            ]

        assert refused >= 990, statuses[:40]
        assert queued <= 10  # this door's own limit per address: 10 an hour
        assert page.status_code == 429
        assert "Retry-After" in page.headers
        assert "Trop de demandes" in page.text
        assert guesses == [422] * 30 + [429]

    assert view["status"] == "open"
    assert view["departement"] == "44"
    assert view["family_ref"] == queued["family_ref"]
    assert "Traoré" not in json.dumps(view)


# the page's language → the errors of an empty form's three text fields (first name, last
# name, commune) in it
EMPTY_FORM_WORDS = {
    "ro": (
        "Scrieți prenumele dumneavoastră.",
        "Scrieți numele de familie.",
        "Scrieți localitatea în care locuiți.",
    ),
    "falc": ("Écrivez votre prénom.", "Écrivez votre nom.", "Écrivez le nom de votre ville."),
}


async def test_staff_see_the_languages_of_a_request_sent_on_another_door(
    intake_settings, dev_issuer
) -> None:
    """A parent who wrote on the Romanian door, speaking Romanian and English: « À
    confirmer » says both in words, so that staff call back in a language the parent
    reads (the page showed neither)."""
    app = intake_app(intake_settings)
    async with serving(app) as intake:
        door = lookup(app, FamilyDoor)
        sent = await intake.post("/demander-aide?lang=ro", data=form(door, languages=["ro", "en"]))
        assert sent.status_code == 200, sent.text
        assert 'lang="ro"' in sent.text
        await dev_issuer.sign_in(intake, "ppm-nantes")
        queue = (await intake.get("/a-confirmer")).text
        assert "Awa Traoré" in queue
        assert "Langue de la demande : roumain" in queue
        spoken = re.search(r"<dt>Langues parlées</dt><dd>([^<]*)</dd>", queue)
        assert spoken, "the spoken languages are not shown"
        assert spoken.group(1) == "Roumain ; Anglais"


STAFF_LINKS = re.compile(r'href="(/familles[^"]*|/connexion[^"]*|/a-confirmer[^"]*|/)"')


async def test_the_public_pages_show_no_staff_link_and_staff_pages_keep_theirs(
    intake_settings, dev_issuer
) -> None:
    """A parent on the door, the « demande reçue » answer or /suivi, in French or in
    English, saw « Se connecter / Familles / Nouvelle famille / À confirmer » and a logo
    leading to /, then to the staff's sign-in. Now: the door's menu, the logo to the door."""
    app = intake_app(intake_settings)
    async with serving(app) as intake:
        door = lookup(app, FamilyDoor)
        received = await intake.post("/demander-aide?lang=en", data=form(door))
        assert received.status_code == 200, received.text
        pages = {"demande reçue (en)": received.text}
        for path in ("/demander-aide", "/demander-aide?lang=en", "/suivi", "/suivi?lang=ro"):
            answer = await intake.get(path)
            assert answer.status_code == 200, path
            pages[path] = answer.text
        for name, page in pages.items():
            assert STAFF_LINKS.findall(page) == [], name
            assert re.search(r'<a href="/demander-aide" title="[^"]*— Entraide">', page), name
            assert 'href="/suivi' in page, name
        await dev_issuer.sign_in(intake, "ppm-nantes")
        staff = (await intake.get("/familles")).text
        assert {"/familles", "/familles/nouvelle", "/a-confirmer", "/"} <= set(
            STAFF_LINKS.findall(staff)
        )
        intake.cookies.clear()
        assert 'href="/connexion"' in (await intake.get("/connexion")).text


@pytest.mark.parametrize("language", sorted(EMPTY_FORM_WORDS))
async def test_an_empty_form_is_told_what_is_missing_in_the_pages_language(
    intake_settings, language: str
) -> None:
    """Sent empty once the fill time has passed: every error, in the summary and beside
    its field, is in the page's language (Romanian, easy French) and names its field,
    never the generic French « Ce champ est obligatoire. »."""
    app = intake_app(intake_settings)
    async with serving(app) as intake:
        door = lookup(app, FamilyDoor)
        empty = {"debut": door.form_token(time.time() - 30), "site_web": ""}
        answer = await intake.post(f"/demander-aide?lang={language}", data=empty)
    assert answer.status_code == 422
    page = html.unescape(answer.text)
    assert "obligatoire" not in page
    for field, sentence in zip(
        ("parent-first_name", "parent-last_name", "commune"),
        EMPTY_FORM_WORDS[language],
        strict=True,
    ):
        assert f'<p id="{field}-erreur" class="fr-error-text">{sentence}</p>' in page
        assert f'<a href="#{field}">{sentence}</a>' in page  # the summary's link
    if language == "ro":  # no French sentence of the door's among the errors
        errors = re.findall(r'<li><a href="#[\w-]+">([^<]+)</a></li>', page)  # the summary
        french = {*door_form.MESSAGES.values(), *forms.PATTERN_MESSAGES.values()}
        assert len(errors) == 8, errors  # names, ages, postal code, commune, ways, needs, consent
        assert not french.intersection(errors), errors
