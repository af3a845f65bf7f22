"""What the family door says of the association promises no call: a parent may choose
e-mail alone and give no phone (« Un e-mail »), yet its data paragraph said her details
« restent chez l'association qui vous rappelle » (« calls you back », « vous appelle »).
Only what a chosen call needs may speak of calling (« Les meilleurs moments pour vous
appeler », the phone's error when a call or SMS was chosen)."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

import entraide.intake

INTAKE = Path(entraide.intake.__file__).parent
DOOR = INTAKE / "templates" / "demander_aide.html"
# the data paragraph, which every parent reads whatever way of contact she chooses
PARAGRAPH = re.compile(r"\{% trans %\}(Ce que vous écrivez ici.*?)\{% endtrans %\}", re.S)
# a call promised, in French, easy French and the translations' words for it
CALL = {
    "fr": re.compile(r"\b(?:vous r?appel(?:le|lera)|va vous appeler)\b", re.I),
    "falc": re.compile(r"\b(?:vous r?appel(?:le|lera)|va vous appeler)\b", re.I),
    "en": re.compile(r"\bcalls? you\b|\bcall you back\b", re.I),
    "ar": re.compile(r"تتصل بك|يتصل بك|ستتصل"),
    "pt": re.compile(r"\bliga(?:r)?(?:-lhe)?\b|\btelefona\b", re.I),
    "ro": re.compile(r"\bvă sună\b|\bvă va suna\b", re.I),
}


def paragraph() -> str:
    found = PARAGRAPH.search(DOOR.read_text(encoding="utf-8"))
    assert found, "the door's data paragraph"
    return found.group(1)


def test_the_doors_data_paragraph_promises_no_call_in_french() -> None:
    said = paragraph()
    assert "l'association" in said
    assert not CALL["fr"].search(said), said


@pytest.mark.parametrize("code", ["en", "ar", "pt", "ro", "falc"])
def test_nor_in_its_translations(code: str) -> None:
    with (INTAKE / "locales" / code / "LC_MESSAGES" / "messages.po").open("rb") as po:
        message = read_po(po).get(paragraph())
    assert message is not None
    assert message.string, (code, "translated")
    assert not CALL[code].search(str(message.string)), (code, message.string)


def test_the_check_finds_a_promised_call_and_lets_contact_be() -> None:
    assert CALL["fr"].search("restent chez l'association qui vous rappelle.")
    assert CALL["en"].search("stay with the association that calls you back.")
    assert CALL["ar"].search("وتبقى لدى الجمعية التي تتصل بك.")
    assert not CALL["fr"].search("restent chez l'association qui traite votre demande.")
    assert not CALL["en"].search("stay with the association that handles your request.")
