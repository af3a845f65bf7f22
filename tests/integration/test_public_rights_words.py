"""The copy a parent opens from her link, in Portuguese, built by the five services from a
request she sent on the family door, confirmed and opened by staff: every word in her
language or left out, no code nobody can read (event numbers, internal ids, the relays'
bookkeeping), no staff account or staff member's name; her own words as she wrote them."""

import html
import re

from entraide.intake.usecases.self_requests import FamilyDoor
from entraide.kit.deps import lookup
from tests.integration.test_family_door import form
from tests.integration.test_public_rights import (  # noqa: F401
    _owner_in_process,
    code_in,
    copy_link,
    mailbox,
    sending,
)
from tests.page_text import text_of
from tests.privacy_support import network

HER_WORDS = ("depois das 18 h", "Sou sozinha com dois filhos.")
# what the tester read in her copy: French the services wrote, and their codes
FRENCH = ("la famille (formulaire public)", "À rappeler", "Message de la famille",
          "déjà connue de la famille", "urgence faible", "Julien", "(PPM)")  # fmt: skip
CODES = {
    "a 32-hex id": re.compile(r"\b[0-9a-f]{32}\b"),
    "a UUID": re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-"),
    "an event": re.compile(r"event:"),
    "a staff account": re.compile(r"\bdev-[0-9a-f]"),
}


async def _confirmed_and_read(net, door_form: dict[str, object]) -> None:
    """The request sent on the family door, confirmed on « À confirmer » by Julien (PPM),
    who then opens the family's record."""
    intake = net["clients"]["intake"]
    sent = await intake.post("/demander-aide", data=door_form)
    assert sent.status_code == 200, sent.text
    await net["dev_issuer"].sign_in(intake, "ppm-nantes")
    queue = (await intake.get("/a-confirmer")).text
    self_id = re.search(r'action="/a-confirmer/([0-9a-f]+)"', queue).group(1)
    csrf = re.search(r'name="csrf" value="([^"]+)"', queue).group(1)
    done = await intake.post(f"/a-confirmer/{self_id}", data={"csrf": csrf, "action": "confirmer"})
    assert done.status_code == 303, done.text
    said = (await intake.get(done.headers["location"])).text  # « Ouvrir la fiche de la famille »
    record = re.search(r'id="demande-traitee".*?href="/familles/([0-9a-f]+)"', said, re.S).group(1)
    opened = await intake.get(f"/familles/{record}")
    assert opened.status_code == 200, opened.text
    intake.cookies.clear()


async def test_a_parents_copy_in_portuguese_has_no_french_no_code_and_no_staff_name(
    infra,
    unique,
    intake_settings,
    sending,  # noqa: F811
    mailbox,  # noqa: F811
    dev_issuer,
) -> None:
    email = f"mae.{unique}@example.org"
    async with network(infra, unique, intake_settings, sending) as net:
        _owner_in_process(net)
        net["dev_issuer"] = dev_issuer
        door = lookup(net["apps"]["intake"], FamilyDoor)
        typed = {"parent.email": email, "parent.phone": "", "contact_preferences": ["email"],
                 "callback_times": HER_WORDS[0], "message": HER_WORDS[1]}  # fmt: skip
        await _confirmed_and_read(net, form(door, **typed))
        privacy = net["clients"]["privacy"]
        await privacy.get("/vos-droits", params={"lang": "pt"})
        before = len(mailbox.to(email))
        asked = await privacy.post(
            "/vos-droits", data={"droit": "access", "qui": "family", "contact": email}
        )
        code = await code_in(mailbox, email, before)
        await privacy.post(asked.headers["location"], data={"code": code})
        url = await copy_link(mailbox, email, "Os seus dados: a sua cópia está pronta")
        page = await privacy.get(url.raw_path.decode())
        data = (await privacy.get(f"{url.path}/donnees.json")).json()

    shown = text_of(page.text)
    with_codes = html.unescape(re.sub(r"<[^>]+>", " ", page.text))  # references included
    assert page.status_code == 200
    assert '<html lang="pt"' in page.text
    for words in (*HER_WORDS, "Parrains Par Mille", "3 a 5 anos"):
        assert words in html.unescape(page.text), words
    assert [w for w in FRENCH if w in shown] == []
    codes = {what: found.findall(with_codes) for what, found in CODES.items()}
    assert {what: found for what, found in codes.items() if found} == {}
    # the JSON file keeps every part as the services hold it, but no staff member's name
    (read, *_) = data["services"]["intake"]["record_reads"]
    assert "actor_name" not in read
    assert read["actor"] == "uma conta da equipa da associação"
