"""Every page of a small demo, as each role sees it, reads in French: no ISO date, no
decimal point, no slug of the vocabularies, no raw hash, no English word of a list.

The four services run in-process on the real broker and store (directory on topics of
its own), loaded as `make up` loads its demo: offers, volunteers approved with a cleared
check, families recorded by the network's coordinator; matching proposes, a coordinator
accepts, the DPO opens an erasure and an access case. Then each role's pages are read
as text (`tests.page_text`: references shown on purpose, `class="reference"`, left out).
"""

import contextlib
import re
import shutil

import pytest

from entraide.contracts import associations, vocab
from entraide.directory.adapters.volunteers.store import VolunteerStore
from entraide.directory.app import create_app as create_directory
from entraide.intake.app import create_app as create_intake
from entraide.intake.usecases.casework import Casework
from entraide.kit.deps import lookup
from entraide.matching.adapters.matches import MatchStore
from entraide.matching.adapters.volunteers import VolunteerViews
from entraide.matching.app import create_app as create_matching
from entraide.matching.settings import MatchingSettings
from entraide.privacy.app import create_app as create_privacy
from tests.infra import settings_on
from tests.integration.test_directory_offers import directory_settings  # noqa: F401
from tests.integration.test_staff_pages import csrf_of
from tests.page_text import text_of
from tests.privacy_support import (
    AUTH_FIELDS,
    _warm_up,
    case_when,
    closed,
    observatory_app,
    vault_keys,
)
from tests.support import eventually, request_body, serving
from tests.unit.directory.offers import fields

ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
DECIMAL_POINT = re.compile(r"\b\d+\.\d+\b")
HASH = re.compile(r"\b(?=[0-9a-f]*[a-f])(?=[0-9a-f]*\d)[0-9a-f]{8,}\b")
ENGLISH = re.compile(
    r"\b(kind|reason|counts|erasure|access|pending|None|True|False|null|undefined|"
    r"proposed|accepted|declined|waitlisted|submitted|withdrawn|started|closed|expired|"
    r"family|volunteer|offer|status|low|medium|high|critical|keys_destroyed|"
    r"rights-request|retention|in-review|approved|cleared|Field required)\b"
)
VOCABULARIES = (
    {n.value for n in vocab.Need}
    | set(associations.NAMES)
    | {r.value for r in vocab.WithdrawalReason}
)
# the slugs of several words ("afev", "unaf", "other" read as words do), longest first
SLUGS = sorted((slug for slug in VOCABULARIES if "-" in slug), key=len, reverse=True)
WEB = re.compile(r"\S+@\S+|https?://\S+|\b[\w.-]+\.(?:fr|org|gouv\.fr)\b")
VOLUNTEERS = [  # (first name, association, postal code, need): near the families below
    ("Bénédicte", "parrains-par-mille", "44000", "parrainage-de-proximite"),
    ("Lucas", "afev", "75011", "accompagnement-scolaire"),
    ("Aïcha", "centres-sociaux", "58000", "repit-garde-ponctuelle"),
]
FAMILIES = [  # (postal code, commune, association, needs)
    ("44000", "Nantes", "parrains-par-mille", ["parrainage-de-proximite"]),
    ("75011", "Paris", "afev", ["accompagnement-scolaire"]),
    ("58000", "Nevers", "centres-sociaux", ["repit-garde-ponctuelle"]),
    ("59000", "Lille", "unaf", ["soutien-a-la-parentalite", "acces-aux-droits"]),
]
COORDINATORS = {"parrains-par-mille": "coordination-ppm", "afev": "coordination-afev"}
COORDINATORS |= {"centres-sociaux": "coordination-centres-sociaux"}


def findings(text: str) -> list[str]:
    """What reads as a machine's rather than a person's, in a page's text."""
    text = WEB.sub(" ", text)  # addresses are what they are
    found = [f"date {m}" for m in ISO_DATE.findall(text)]
    found += [f"decimal point {m}" for m in DECIMAL_POINT.findall(text)]
    found += [f"hash {m}" for m in HASH.findall(text)]
    found += [f"English {m.group(0)}" for m in ENGLISH.finditer(text)]
    found += [f"slug {s}" for s in SLUGS if re.search(rf"(?<![\w-]){re.escape(s)}(?![\w-])", text)]
    return found


def test_the_scan_finds_what_it_looks_for() -> None:
    page = (
        "Mis à jour le 2026-11-29 · à 0.4 km · parrains-par-mille · dev-9ae404dd5ef850b0 · "
        "kind : erasure · True · écrire à contact@parrains-par-mille.org"
    )
    assert findings(page) == [
        "date 2026-11-29",
        "decimal point 0.4",
        "hash 9ae404dd5ef850b0",
        "English kind",
        "English erasure",
        "English True",
        "slug parrains-par-mille",
    ]
    assert findings("Le 29/11/2026 à 19 h 04, à 0,4 km : Parrains Par Mille, 44000.") == []


@contextlib.asynccontextmanager
async def four_services(infra, unique, intake_settings, privacy_settings, directory):
    """The four apps in-process, matching reading directory's own topics."""
    quick = {"graceful_timeout_seconds": 2.0}
    privacy = create_privacy(privacy_settings.model_copy(update=quick))
    intake_settings = intake_settings.model_copy(update=quick)
    intake = create_intake(intake_settings, keys=vault_keys(privacy, intake_settings))
    trusted = {k: getattr(intake_settings, k) for k in AUTH_FIELDS}
    matching = create_matching(
        settings_on(
            MatchingSettings,
            infra,
            f"test_matching_{unique}",
            offers_topic=directory.offers_topic,
            volunteers_topic=directory.volunteers_topic,
            **quick,
            **trusted,
        )
    )
    apps = {"privacy": privacy, "intake": intake, "matching": matching}
    apps["directory"] = create_directory(directory.model_copy(update=quick))
    apps["observatory"] = observatory_app(infra, unique, quick)
    async with contextlib.AsyncExitStack() as stack:
        stack.callback(shutil.rmtree, apps["observatory"].state.settings.data_dir, True)
        clients = {n: await stack.enter_async_context(serving(a)) for n, a in apps.items()}
        await _warm_up(privacy, set(apps) & set(privacy_settings.rights_services))
        yield apps, clients


async def load_demo(apps, clients, dev_issuer) -> dict[str, str]:
    """Offers, approved volunteers, families; a proposal accepted; an erasure and an
    access case closed. Returns the ids the pages need."""
    directory, intake, matching = clients["directory"], clients["intake"], clients["matching"]
    network = {"Authorization": f"Bearer {await dev_issuer.token_for('coordination-reseau')}"}
    offers = []
    for where, association in [("Nantes", "parrains-par-mille"), ("Nevers", "unaf")]:
        body = fields(where, nom=f"Parrainage de proximité à {where}").model_dump(mode="json")
        made = await directory.post(
            "/api/v1/staff/offers", params={"association": association}, json=body, headers=network
        )
        assert made.status_code == 201, made.text
        offers.append(made.json()["offer_id"])
    for n, (first_name, association, postal_code, need) in enumerate(VOLUNTEERS):
        application = {
            "identity": {"prenom": first_name, "nom": "Exemple", "courriel": f"b{n}@example.org"},
            "association_id": association,
            "code_postal": postal_code,
            "needs": [need],
            "availability": [{"day": "we", "part": "afternoon"}, {"day": "sa", "part": "morning"}],
            "consent": True,
        }
        applied = await directory.post("/api/v1/volunteers", json=application)
        assert applied.status_code == 201, applied.text
        review = f"/api/v1/staff/volunteers/{applied.json()['volunteer_id']}"
        cleared = {"status": "in-review", "honorability": "cleared"}
        assert (await directory.patch(review, json=cleared, headers=network)).status_code == 200
        approved = await directory.patch(review, json={"status": "approved"}, headers=network)
        assert approved.status_code == 200, approved.text
    refs = [v["volunteer_ref"] for v in await lookup(apps["directory"], VolunteerStore).all()]
    views = lookup(apps["matching"], VolunteerViews)
    await eventually(lambda: _all_known(views, refs), what="matching knows the volunteers")
    families = []
    for n, (postal_code, commune, association, needs) in enumerate(FAMILIES, start=1):
        body = request_body() | {"postal_code": postal_code, "commune": commune}
        body |= {"association_id": association, "needs": needs, "confirm_new": True}
        body["parent"] = body["parent"] | {"first_name": f"Parent{n}", "phone": f"060000000{n}"}
        made = await intake.post("/api/v1/requests", json=body, headers=network)
        assert made.status_code == 201, made.text
        families.append(made.json()["request_id"])
    store = lookup(apps["matching"], MatchStore)

    async def proposed():
        return await store.open_for_request(families[0])

    match = await eventually(proposed, timeout=60, what="a proposal for the Nantes family")
    coordinator = COORDINATORS[match.association_id]
    decider = {"Authorization": f"Bearer {await dev_issuer.token_for(coordinator)}"}
    accepted = await matching.post(
        f"/api/v1/proposals/{match.match_id}", json={"decision": "accept"}, headers=decider
    )
    assert accepted.status_code == 200, accepted.text
    family = await lookup(apps["intake"], Casework).families.families.find_one(
        {"requests.request_id": families[0]}
    )
    erased = await lookup(apps["intake"], Casework).families.families.find_one(
        {"requests.request_id": families[3]}
    )
    dpo = {"Authorization": f"Bearer {await dev_issuer.token_for('dpo')}"}
    privacy = clients["privacy"]
    cases = {}
    for kind, doc in [("access", family), ("erasure", erased)]:
        body = {"kind": kind, "subject_ref": doc["family_ref"], "subject_kind": "family"}
        opened = await privacy.post("/api/v1/cases", json=body, headers=dpo)
        assert opened.status_code == 201, opened.text
        cases[kind] = opened.json()["case_id"]
    privacy.headers.update(dpo)
    for case_id in cases.values():
        await case_when(privacy, case_id, closed)
    del privacy.headers["Authorization"]
    return {
        "offer": offers[0],
        "volunteer": refs[0],
        "family": family["_id"],
        "request": families[0],
        "access": cases["access"],
        "erasure": cases["erasure"],
    }


async def _all_known(views, refs) -> bool:
    return len(await views.many(refs)) == len(refs)


def pages(ids: dict[str, str]) -> list[tuple[str, str | None, str, int]]:
    """(service, account or None, path, status) of every page the demo shows."""
    family, request = ids["family"], ids["request"]
    return [
        ("directory", None, "/recherche", 200),
        ("directory", None, "/recherche?lieu=Nantes", 200),
        ("directory", None, "/recherche?lieu=44000&besoin=parrainage-de-proximite&age=8", 200),
        ("directory", None, f"/offres/{ids['offer']}", 200),
        ("directory", None, "/devenir-benevole", 200),
        ("directory", None, "/connexion", 200),
        ("directory", None, "/offres/inconnue-0000", 404),
        ("directory", None, "/recherche?lieu=Nantes&rayon_km=abc", 422),
        ("directory", "coordination-ppm", "/association", 200),
        ("directory", "coordination-ppm", "/association?statut=in-review&page=2", 200),
        ("directory", "coordination-ppm", "/association/actions", 200),
        ("directory", "coordination-ppm", f"/association?benevole={ids['volunteer']}", 200),
        ("intake", None, "/connexion", 200),
        ("intake", "ppm-nantes", "/familles", 200),
        ("intake", "ppm-nantes", "/familles/nouvelle", 200),
        ("intake", "ppm-nantes", f"/familles/{family}", 200),
        ("intake", "ppm-nantes", f"/familles/{family}/demandes/{request}/modifier", 200),
        ("intake", "coordination-reseau", "/familles", 200),
        ("intake", "coordination-reseau", f"/familles/{family}/journal", 200),
        ("intake", "dpo", f"/familles/{family}", 200),
        ("matching", None, "/connexion", 200),
        ("matching", "coordination-ppm", "/propositions", 200),
        ("matching", "coordination-ppm", "/attente", 200),
        ("matching", "coordination-ppm", "/suivis", 200),
        ("matching", "coordination-reseau", "/propositions", 200),
        ("matching", "coordination-reseau", "/attente", 200),
        ("matching", "coordination-reseau", "/suivis", 200),
        ("privacy", None, "/connexion", 200),
        ("privacy", "dpo", "/dossiers", 200),
        ("privacy", "dpo", f"/dossiers/{ids['access']}", 200),
        ("privacy", "dpo", f"/dossiers/{ids['access']}/export.html", 200),
        ("privacy", "dpo", f"/dossiers/{ids['erasure']}", 200),
        ("privacy", "dpo", "/conservation", 200),
    ]


@pytest.mark.timeout(300)
async def test_every_page_of_the_demo_reads_in_french(
    infra,
    unique,
    intake_settings,
    privacy_settings,
    directory_settings,  # noqa: F811
    dev_issuer,
) -> None:
    async with four_services(
        infra, unique, intake_settings, privacy_settings, directory_settings
    ) as (apps, clients):
        ids = await load_demo(apps, clients, dev_issuer)
        read: dict[str, str] = {}
        signed_in: dict[str, str | None] = {}
        for service, account, path, status in pages(ids):
            client = clients[service]
            if signed_in.get(service) != account:
                client.cookies.clear()
                if account:
                    await dev_issuer.sign_in(client, account)
                signed_in[service] = account
            answer = await client.get(path)
            assert answer.status_code == status, (service, account, path, answer.status_code)
            read[f"{service} {account or 'anonyme'} {path}"] = text_of(answer.text)
        intake = clients["intake"]  # a search is a POST (no name in an address)
        intake.cookies.clear()
        await dev_issuer.sign_in(intake, "ppm-nantes")
        token = csrf_of((await intake.get("/familles")).text)
        search = {"nom": "Diallo", "prenom": "Parent1", "csrf": token}
        answer = await intake.post("/familles", data=search)
        assert answer.status_code == 200, answer.text
        read["intake ppm-nantes POST /familles Diallo Parent1"] = text_of(answer.text)

    found = {page: findings(text) for page, text in read.items()}
    wrong = {page: what for page, what in found.items() if what}
    assert not wrong, "\n".join(f"{page}: {', '.join(what)}" for page, what in wrong.items())
    assert "Parrainage de proximité à Nantes" in read[f"directory anonyme /offres/{ids['offer']}"]
    assert "Parrain" in read["matching coordination-ppm /suivis"]  # the accepted match
    assert "Diallo" in read[f"privacy dpo /dossiers/{ids['access']}/export.html"]
