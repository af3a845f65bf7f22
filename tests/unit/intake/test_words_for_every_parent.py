"""Fathers ask for help too: what intake says to a parent, or about one, is not written in
the feminine (« Comment préférez-vous être contactée ? », « Comment la joindre »), in
French nor in the catalogs' translations that had the same form (Portuguese, Romanian)."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

import entraide.intake

INTAKE = Path(entraide.intake.__file__).parent
SOURCES = [
    *sorted((INTAKE / "templates").glob("*.html")),
    INTAKE / "entrypoints/http/family_door_form.py",
    INTAKE / "entrypoints/http/family_door.py",
    INTAKE / "domain/self_requests.py",
]
# a parent's participle in the feminine, or a staff label that assumes a mother
FEMININE = re.compile(r"\b(contactée|rappelée|être jointe?)\b|\bla joindre\b", re.I)
TRANSLATED = {
    "pt": re.compile(r"\b(contactada|informada|avisada)\b", re.I),
    "ro": re.compile(r"\b(contactată|sunată|anunțată|informată)\b", re.I),
}


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.name)
def test_the_french_words_fit_a_father_as_well_as_a_mother(source: Path) -> None:
    found = FEMININE.findall(source.read_text())
    assert found == []


@pytest.mark.parametrize("code", ["en", "ar", "pt", "ro", "falc"])
def test_the_catalogs_keep_their_translations_under_the_new_wording(code: str) -> None:
    path = INTAKE / "locales" / code / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as po:
        catalog = read_po(po)
    ids = {m.id for m in catalog if m.id}
    assert "Comment préférez-vous que l'on vous contacte ?" in ids
    assert "Comment préférez-vous être contactée ?" not in ids
    asked = catalog.get("Comment préférez-vous que l'on vous contacte ?")
    assert asked is not None
    assert asked.string, "the translation moved with the message"
    gendered = TRANSLATED.get(code)
    if gendered:
        said = [m.string for m in catalog if m.id and gendered.search(str(m.string))]
        assert said == []
