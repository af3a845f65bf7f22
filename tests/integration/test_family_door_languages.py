"""The door read in another language ticks that language as spoken, not French: staff read
« Langue de la demande : roumain » beside « Langues parlées : Français ». French is ticked
only on the French doors (and the easy-to-read French one); a parent who unticks every box
is stored as speaking the door's language."""

import re

from entraide.intake.app import create_app as intake_app
from entraide.intake.domain.self_requests import code_hash
from entraide.intake.usecases.self_requests import FamilyDoor
from entraide.kit.deps import lookup
from tests.integration.test_family_door import code_of, form
from tests.support import serving


def ticked(page: str) -> set[str]:
    """The languages ticked as spoken on the door's form."""
    return set(re.findall(r'name="languages" value="([a-z]+)" checked', page))


async def test_the_door_ticks_its_own_language_as_spoken(intake_settings, mongo) -> None:
    app = intake_app(intake_settings)
    async with serving(app) as intake:
        found = {}
        for language in ("fr", "falc", "pt", "ro", "ar", "en"):
            page = (await intake.get(f"/demander-aide?lang={language}")).text
            found[language] = ticked(page)
        assert found == {
            "fr": {"fr"},
            "falc": {"fr"},
            "pt": {"pt"},
            "ro": {"ro"},
            "ar": {"ar"},
            "en": {"en"},
        }

        door = lookup(app, FamilyDoor)
        asked = form(door, commune="Rezé", postal_code="44400") | {"languages": []}
        sent = await intake.post("/demander-aide?lang=ro", data=asked)
        assert sent.status_code == 200, sent.text
        code = code_of(sent.text)
    stored = await mongo[intake_settings.database]["self_requests"].find_one(
        {"code_hash": code_hash(code)}
    )
    assert stored is not None
    assert stored["languages"] == ["ro"]
