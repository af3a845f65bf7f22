"""A refused page's « Retour à l'accueil » leads each person to a page they may open.

It led to the service's "/": for a funder refused intake's /familles that was intake's "/",
a redirect to /familles, refused again (the same on matching's /propositions, and on
directory's /association the public search rather than the funder's figures); the DPO
looped the same way, and an association's staff on privacy's pages. Each is now sent home:
a funder to the observatory, the DPO to privacy's pages, staff to the service they work in.
"""

import contextlib
import re
import shutil
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from entraide.directory.app import create_app as directory_app
from entraide.intake.app import create_app as intake_app
from entraide.matching.app import create_app as matching_app
from entraide.observatory.app import create_app as observatory_app
from entraide.observatory.settings import ObservatorySettings
from entraide.privacy.app import create_app as privacy_app
from tests.access_support import settings_of
from tests.infra import settings_on
from tests.page_text import text_of
from tests.support import serving

# each service's public address as the others know it (ENTRAIDE_<SERVICE>_URL)
URLS = {
    "intake": "http://intake.test",
    "observatory": "http://observatory.test",
    "privacy": "http://privacy.test",
}
HOMES = {f"{name}_url": url for name, url in URLS.items()}
BUTTON = re.compile(r'<a class="fr-btn" href="([^"]*)">Retour à l\'accueil</a>')


@pytest.fixture
async def services(
    infra, unique, dev_issuer, intake_settings, matching_settings, privacy_settings
) -> AsyncIterator[dict[str, httpx.AsyncClient]]:
    """The five services, each knowing the others' addresses (HOMES)."""
    data_dir = Path(tempfile.mkdtemp(prefix=f"observatory-{unique}-"))
    observatory = settings_on(
        ObservatorySettings, infra, f"test_observatory_{unique}", data_dir=data_dir
    )
    settings = {
        "intake": intake_settings,
        "matching": dev_issuer.settings_for(matching_settings),
        "directory": settings_of("directory", infra, unique, dev_issuer),
        "privacy": privacy_settings,
        "observatory": dev_issuer.settings_for(observatory),
    }
    makers = {
        "intake": intake_app,
        "matching": matching_app,
        "directory": directory_app,
        "privacy": privacy_app,
        "observatory": observatory_app,
    }
    async with contextlib.AsyncExitStack() as stack:
        stack.callback(shutil.rmtree, data_dir, True)
        yield {
            name: await stack.enter_async_context(
                serving(makers[name](settings[name].model_copy(update=HOMES)))
            )
            for name in makers
        }


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
