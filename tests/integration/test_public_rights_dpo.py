"""Who answers rights requests, as the public page names them: the network's default title
reads in the page's language (the walker read « Délégué à la protection des données du
réseau Entraide. Pode escrever-lhe… » on the Portuguese page); a name the network
configured stays as configured."""

from entraide.privacy.app import create_app as privacy_app
from tests.support import serving


async def test_the_dpos_default_title_reads_in_the_pages_language(privacy_settings) -> None:
    async with serving(privacy_app(privacy_settings)) as privacy:
        portuguese = await privacy.get("/vos-droits", params={"lang": "pt"})
        french = await privacy.get("/vos-droits", params={"lang": "fr"})
    named = privacy_settings.model_copy(update={"dpo_name": "Maître Awa Diop, avocate"})
    async with serving(privacy_app(named)) as privacy:
        configured = await privacy.get("/vos-droits", params={"lang": "pt"})

    assert "Encarregado da proteção de dados da rede Entraide. Pode escrever-lhe" in (
        portuguese.text
    )
    assert "Délégué à la protection des données du réseau Entraide" not in portuguese.text
    assert "Délégué à la protection des données du réseau Entraide. Vous pouvez" in french.text
    assert "Maître Awa Diop, avocate. Pode escrever-lhe" in configured.text
