"""The catalogs, read as files: every message the public pages mark is in every language's
catalog (`make i18n` was run), translated, with the same placeholders; nothing left over."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from entraide.kit.i18n_catalogs import TRANSLATED, catalog_path, extracted, untranslated

PACKAGES = ["entraide.kit", "entraide.directory", "entraide.intake", "entraide.privacy"]
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def catalog(package: str, code: str):  # type: ignore[no-untyped-def]
    with catalog_path(package, code).open("rb") as po:
        return read_po(po)


@pytest.mark.parametrize("package", PACKAGES)
def test_every_marked_message_is_in_every_catalog(package: str) -> None:
    marked = {m.id if isinstance(m.id, str) else m.id[0] for m in extracted(package) if m.id}
    assert marked, f"{package} marks no message"
    for code in TRANSLATED:
        held = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog(package, code) if m.id}
        assert marked - held == set(), f"{package} {code}: run `make i18n`"
        assert held - marked == set(), f"{package} {code}: messages no page uses"


@pytest.mark.parametrize("package", PACKAGES)
@pytest.mark.parametrize("code", TRANSLATED)
def test_no_message_is_left_untranslated(package: str, code: str) -> None:
    assert untranslated(package, code) == []


@pytest.mark.parametrize("package", PACKAGES)
@pytest.mark.parametrize("code", TRANSLATED)
def test_translations_keep_the_placeholders(package: str, code: str) -> None:
    """A translation that drops or misspells `%(place)s` would break or lie on the page
    (a plural form may leave out the count: Arabic says « two » in a word)."""
    for message in catalog(package, code):
        if not message.id:
            continue
        ids = (message.id,) if isinstance(message.id, str) else message.id
        strings = (message.string,) if isinstance(message.string, str) else message.string
        expected = set().union(*(PLACEHOLDER.findall(text) for text in ids))
        for text in strings:
            found = set(PLACEHOLDER.findall(text))
            assert found <= expected, (code, message.id, text)
            assert expected - found <= {"num", "count"}, (code, message.id, text)


def test_the_family_door_has_an_easy_to_read_french_version() -> None:
    """FALC covers every sentence of the family door and its status page (the vocabulary's
    words, already plain, may stay as they are)."""
    door = {"demander_aide.html", "demande_recue.html", "suivi.html", "family_door.py"}
    easy = {m.id: m.string for m in catalog("entraide.intake", "falc") if m.id}
    for message in extracted("entraide.intake"):
        files = {Path(location).name for location, _ in message.locations}
        if message.id and files & door:
            assert easy.get(message.id), message.id
    from entraide.intake.domain.self_requests import WORDS

    for title, explanation in WORDS.values():
        assert easy.get(title)
        assert easy.get(explanation)
