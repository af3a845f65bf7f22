"""The network's coordination opens directory's « Espace association » from the network's
menu; it has no association, and the page said « Aucune candidature. » and « Aucune action
publiée. » as if the network had neither. It now says whose volunteers and actions the space
shows and where the network's are found; an association's coordinator still sees theirs."""

from entraide.directory.app import create_app
from tests.integration.test_directory_offers import directory_settings  # noqa: F401
from tests.page_text import text_of
from tests.support import serving


async def test_the_network_is_told_the_space_is_an_associations(
    directory_settings,  # noqa: F811
    dev_issuer,
) -> None:
    async with serving(create_app(directory_settings)) as client:
        await dev_issuer.sign_in(client, "coordination-reseau")
        network = await client.get("/association")
        network_actions = await client.get("/association/actions")
        await dev_issuer.sign_in(client, "coordination-ppm")
        coordinator = await client.get("/association")
        actions = await client.get("/association/actions")

    assert network.status_code == 200
    said = text_of(network.text)
    assert "vous n'êtes rattaché(e) à aucune association" in said
    assert "Aucune candidature" not in said
    assert "Aucune action publiée" not in said
    assert 'href="/recherche"' in network.text
    assert coordinator.status_code == 200
    assert "aucune association" not in text_of(coordinator.text)
    assert 'href="/association/actions"' in coordinator.text  # the space's menu
    assert "Vos actions" in text_of(actions.text)
    assert "vous n'êtes rattaché(e) à aucune association" in text_of(network_actions.text)
    assert "Aucune action publiée" not in text_of(network_actions.text)
