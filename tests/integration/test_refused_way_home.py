"""A refused page's « Retour à l'accueil » leads each person to a page they may open.

It led to the service's "/": for a funder refused intake's /familles that was intake's "/",
a redirect to /familles, refused again (the same on matching's /propositions, and on
directory's /association the public search rather than the funder's figures); the DPO
looped the same way, and an association's staff on privacy's pages. Each is now sent home:
a funder to the observatory, the DPO to privacy's pages, staff to the service they work in.
"""

import re
from collections.abc import AsyncIterator
from urllib.parse import urlsplit

import httpx
import pytest

from tests.network_support import five_services
from tests.page_text import text_of

# each service's public address as the others know it (ENTRAIDE_<SERVICE>_URL)
URLS = {
    "intake": "http://intake.test",
    "observatory": "http://observatory.test",
    "privacy": "http://privacy.test",
}
BUTTON = re.compile(r'<a class="fr-btn" href="([^"]*)">Retour à l\'accueil</a>')


@pytest.fixture
async def services(
    infra, unique, dev_issuer, intake_settings, matching_settings, privacy_settings
) -> AsyncIterator[dict[str, httpx.AsyncClient]]:
    """The five services, each knowing the others' addresses (URLS)."""
    given = {"intake": intake_settings, "matching": matching_settings, "privacy": privacy_settings}
    async with five_services(URLS, infra, unique, dev_issuer, **given) as clients:
        yield clients


async def way_home(
    services: dict[str, httpx.AsyncClient], dev_issuer, account: str, service: str, path: str
) -> httpx.Response:
    """As `account` (signed in on every service: one sign-in covers them all), open `path`
    on `service`, be refused, and follow « Retour à l'accueil » wherever it leads."""
    for client in services.values():
        await dev_issuer.sign_in(client, account)
    refused = await services[service].get(path, follow_redirects=True)
    assert refused.status_code == 403, f"{account} on {service}{path}"
    assert "Accès refusé" in text_of(refused.text)
    found = BUTTON.findall(refused.text)
    assert len(found) == 1, f"{service}{path}: {found}"
    href = found[0]
    target = next((name for name, url in URLS.items() if href.startswith(url)), service)
    return await services[target].get(urlsplit(href).path or "/", follow_redirects=True)


@pytest.mark.parametrize(
    ("service", "path"),
    [("intake", "/familles"), ("matching", "/propositions"), ("directory", "/association")],
)
async def test_a_refused_funder_is_sent_home_to_the_observatory(
    services, dev_issuer, service: str, path: str
) -> None:
    home = await way_home(services, dev_issuer, "financeur", service, path)
    assert home.status_code == 200, home.url
    assert home.url.path == "/"
    assert "Indicateurs" in text_of(home.text)


async def test_the_refused_dpo_is_sent_home_to_privacy(services, dev_issuer) -> None:
    home = await way_home(services, dev_issuer, "dpo", "intake", "/familles")
    assert home.status_code == 200, home.url
    assert home.url.path == "/dossiers"


@pytest.mark.parametrize("service", ["privacy", "observatory"])
async def test_refused_association_staff_are_sent_to_their_casework(
    services, dev_issuer, service: str
) -> None:
    home = await way_home(services, dev_issuer, "ppm-nantes", service, "/")
    assert home.status_code == 200, home.url
    assert home.url.path == "/familles"


async def test_staff_refused_a_page_of_their_own_service_stay_on_it(services, dev_issuer) -> None:
    await dev_issuer.sign_in(services["intake"], "ppm-nantes")
    refused = await services["intake"].get("/familles/inconnue/journal")  # the network's only
    assert refused.status_code == 403
    assert BUTTON.findall(refused.text) == ["/"]


def client_of(services: dict[str, httpx.AsyncClient], location: str) -> httpx.AsyncClient:
    """The service a redirect to another service's address leads to."""
    return next(services[name] for name, url in URLS.items() if location.startswith(url))


async def sign_in(client: httpx.AsyncClient, account: str, suivant: str | None = None) -> str:
    """Sign in on `client`'s own /connexion form; where it sends `account`."""
    form = {"identifiant": account, "mot_de_passe": "demo"}
    answer = await client.post("/connexion", data=form | ({"suivant": suivant} if suivant else {}))
    assert answer.status_code == 303, answer.text
    return answer.headers["location"]


@pytest.mark.parametrize(
    ("account", "service", "home"),
    [
        ("financeur", "intake", "http://observatory.test/"),
        ("dpo", "intake", "http://privacy.test/"),
        ("financeur", "matching", "http://observatory.test/"),
        ("dpo", "matching", "http://privacy.test/"),
        ("dpo", "observatory", "http://privacy.test/"),
        ("ppm-nantes", "privacy", "http://intake.test/"),
        ("ppm-nantes", "observatory", "http://intake.test/"),
        ("ppm-nantes", "intake", "/"),
        ("financeur", "observatory", "/"),
        ("dpo", "privacy", "/"),
    ],
)
async def test_signing_in_leads_each_person_home(
    services, account: str, service: str, home: str
) -> None:
    """It led everyone to the service's "/": the funder and the DPO signing in on intake
    landed on /familles, « Accès refusé »; so on matching, and staff on privacy."""
    location = await sign_in(services[service], account)
    assert location == home
    if home != "/":
        there = client_of(services, home)
        await sign_in(there, account)  # one sign-in covers every service (one host, here)
        page = await there.get(urlsplit(home).path, follow_redirects=True)
        assert page.status_code == 200, page.url


async def test_signing_in_for_a_page_that_would_refuse_leads_home(services) -> None:
    assert await sign_in(services["matching"], "financeur", "/suivis") == (
        "http://observatory.test/"
    )
    assert await sign_in(services["intake"], "ppm-nantes", "/familles/x/journal") == "/"
    assert await sign_in(services["intake"], "ppm-nantes", "/a-confirmer") == "/a-confirmer"
    # the DPO reads a family's record on intake (audited): that page is theirs to open
    assert await sign_in(services["intake"], "dpo", "/familles/x") == "/familles/x"


async def refused_text(services, account: str, service: str, path: str) -> tuple[str, str]:
    """The refusal `account` reads on `service`'s `path`: its text and its HTML."""
    await sign_in(services[service], account, "/connexion")  # a page refusing no one
    refused = await services[service].get(path)
    assert refused.status_code == 403, f"{account} on {service}{path}"
    return " ".join(text_of(refused.text).split()), refused.text


async def test_the_observatory_tells_the_dpo_where_their_tools_are(services) -> None:
    """It told the DPO their tools were their association's (families, proposals,
    volunteers): the DPO has no association, and each of those pages refuses them."""
    text, _ = await refused_text(services, "dpo", "observatory", "/")
    assert "votre association" not in text
    assert "demandes d'exercice des droits" in text
    assert "durées de conservation" in text
    text, _ = await refused_text(services, "ppm-nantes", "observatory", "/")
    assert "vos outils sont ceux de votre association" in text


@pytest.mark.parametrize(
    ("account", "service", "path", "whom"),
    [
        ("ppm-nantes", "privacy", "/dossiers", "à la coordination de votre association"),
        ("coordination-ppm", "privacy", "/dossiers", "à la coordination du réseau"),
        ("financeur", "intake", "/familles", "à la coordination du réseau"),
        ("dpo", "matching", "/propositions", "à la coordination du réseau"),
        ("coordination-reseau", "privacy", "/dossiers", "à l'administrateur d'Entraide"),
    ],
)
async def test_a_refusal_says_whom_to_ask_as_fits_the_person(
    services, account: str, service: str, path: str, whom: str
) -> None:
    """Everyone was told « adressez-vous à la coordination de votre association »: a funder,
    the DPO and the network's coordination have none, an association's coordinator is it."""
    text, _ = await refused_text(services, account, service, path)
    assert f"). Si vous pensez devoir y accéder, adressez-vous {whom}." in text  # 2 sentences
    if "votre association" not in whom:
        assert "votre association" not in text


@pytest.mark.parametrize(
    ("account", "service", "path"),
    [
        ("financeur", "matching", "/propositions"),
        ("dpo", "matching", "/suivis"),
        ("financeur", "directory", "/association"),
        ("ppm-nantes", "privacy", "/dossiers"),
        ("financeur", "intake", "/familles"),
    ],
)
async def test_a_refusal_offers_no_menu_of_a_service_that_is_not_theirs(
    services, account: str, service: str, path: str
) -> None:
    """The refusal showed this service's menu (Propositions, Liste d'attente, Suivis…),
    each entry refusing them again; their way home and sign-out stay, and the menu holds
    only their spaces elsewhere (kit.network: tests/integration/test_network_menu.py)."""
    _, page = await refused_text(services, account, service, path)
    entries = re.findall(r'class="fr-nav__link" href="([^"]*)"', page)
    assert entries, "their own spaces"
    assert all(href.startswith("http://") for href in entries), entries
    assert len(BUTTON.findall(page)) == 1
    assert 'action="/deconnexion"' in page


async def test_staff_refused_one_page_of_their_service_keep_its_menu(services) -> None:
    _, page = await refused_text(services, "ppm-nantes", "intake", "/familles/inconnue/journal")
    assert 'class="fr-nav__link" href="/familles"' in page
