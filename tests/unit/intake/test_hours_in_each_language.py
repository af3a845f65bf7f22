"""Each language of the family door writes hours its own way: « 18 h » is French
typography (and easy French's); Portuguese writes « 18h », English « 6 pm », Romanian and
Arabic « ora 18 » / « الساعة 18 ». The Portuguese door read « depois das 18 h »."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

import entraide.intake

LOCALES = Path(entraide.intake.__file__).parent / "locales"
FRENCH_HOUR = re.compile(r"\d\s+h\b")  # « 18 h », « 10 h »


@pytest.mark.parametrize("code", ["en", "ar", "pt", "ro"])
def test_no_translation_writes_hours_the_french_way(code: str) -> None:
    with (LOCALES / code / "LC_MESSAGES" / "messages.po").open("rb") as po:
        catalog = read_po(po)
    french_style = [m.string for m in catalog if m.id and FRENCH_HOUR.search(str(m.string))]
    assert french_style == []
