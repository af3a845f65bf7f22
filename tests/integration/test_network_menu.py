"""Every staff page's menu lists the person's spaces in the five services.

A coordinator went from a family's record on intake to the proposals on matching by
knowing matching's address: each service's menu listed only its own pages. The menu now
lists, in one order on every service, each space the person's role may open (kit.network),
and each entry opens for them: none leads to a refusal, and no space they may open is
missing.
"""

import html
import re
from urllib.parse import urlsplit

import httpx
import pytest

from entraide.kit.network import SPACES
from tests.network_support import five_services

URLS = {name: f"http://{name}.test" for name in ("intake", "matching", "directory")}
URLS |= {name: f"http://{name}.test" for name in ("privacy", "observatory")}
ENTRY = re.compile(r'<a class="fr-nav__link" href="([^"]*)"(?: aria-current="page")?>([^<]*)</a>')
# each role's first page: where it signs in and reads its menu
FIRST = {
    "ppm-nantes": ("intake", "/familles"),
    "coordination-ppm": ("matching", "/propositions"),
    "coordination-reseau": ("observatory", "/"),
    "financeur": ("observatory", "/"),
    "dpo": ("privacy", "/dossiers"),
}


@pytest.fixture
async def services(infra, unique, dev_issuer, intake_settings, matching_settings, privacy_settings):
    given = {"intake": intake_settings, "matching": matching_settings, "privacy": privacy_settings}
    async with five_services(URLS, infra, unique, dev_issuer, **given) as clients:
        yield clients


async def menu(client: httpx.AsyncClient, path: str) -> list[tuple[str, str]]:
    page = await client.get(path)
    assert page.status_code in (200, 403), f"{path}: {page.status_code}"
    return [(href, html.unescape(text)) for href, text in ENTRY.findall(page.text)]


def where(href: str, service: str) -> tuple[str, str]:
    """The service and path an entry of `service`'s menu leads to."""
    target = next((name for name, url in URLS.items() if href.startswith(url)), service)
    return target, urlsplit(href).path or "/"


async def test_a_coordinator_finds_the_proposals_from_intake_and_the_families_from_matching(
    services, dev_issuer
) -> None:
    for client in services.values():
        await dev_issuer.sign_in(client, "coordination-ppm")
    on_intake = await menu(services["intake"], "/familles")
    assert on_intake == [
        ("/familles", "Familles"),
        ("/familles/nouvelle", "Nouvelle famille"),
        ("/a-confirmer", "À confirmer"),
        ("http://matching.test/propositions", "Propositions"),
        ("http://directory.test/association", "Espace association"),
    ]
    on_matching = await menu(services["matching"], "/attente")
    assert on_matching[0] == ("http://intake.test/familles", "Familles")
    assert ("/attente", "Liste d'attente") in on_matching
    assert on_matching[-1] == ("http://directory.test/association", "Espace association")
    on_directory = await menu(services["directory"], "/association")
    assert [text for _, text in on_directory] == [
        "Familles",
        "Propositions",
        "Espace association",
        "Trouver une action",  # not a volunteer's « Devenir bénévole », « Mon espace »
    ]


@pytest.mark.parametrize("account", list(FIRST))
async def test_every_entry_opens_and_every_space_of_the_role_is_there(
    services, dev_issuer, account: str
) -> None:
    for client in services.values():
        await dev_issuer.sign_in(client, account)
    service, path = FIRST[account]
    entries = [where(href, service) for href, _ in await menu(services[service], path)]
    for target, entry in entries:
        opened = await services[target].get(entry, follow_redirects=True)
        assert opened.status_code == 200, f"{account}: {target}{entry} {opened.status_code}"
    for space in SPACES:
        refused = (await services[space.service].get(space.path)).status_code == 403
        listed = (space.service, space.path) in entries
        assert listed != refused, f"{account}: {space.service}{space.path}"


async def test_a_refused_person_is_shown_their_own_spaces(services, dev_issuer) -> None:
    for client in services.values():
        await dev_issuer.sign_in(client, "financeur")
    entries = await menu(services["intake"], "/familles")
    assert entries == [("http://observatory.test/", "Indicateurs")]
