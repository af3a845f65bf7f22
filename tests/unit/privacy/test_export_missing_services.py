"""The access copy's warning names the services that have not answered yet, set apart by
the language's comma: the Arabic page read « الدليل, الربط مع مرافقة » with Latin commas;
Arabic's is « ، » (the kit's `comma()`). French keeps « , »."""

import re

import pytest

from entraide.kit import i18n
from entraide.kit.web import templates_for
from entraide.privacy.entrypoints.http import labels
from tests.page_text import text_of

EXPORT = {"generated_on": "1 décembre 2026", "missing": ["directory", "matching"], "services": {}}


def warning(code: str) -> str:
    env = templates_for("entraide.privacy").env
    token = i18n._current.set(i18n.LANGUAGES[code])
    try:
        page = env.get_template("export.html").render(
            labels=labels, request=None, export=EXPORT, parts=None, download=None
        )
    finally:
        i18n._current.reset(token)
    found = re.search(r'<div class="fr-alert fr-alert--warning[^"]*">(.*?)</div>', page, re.S)
    assert found, page
    return text_of(found.group(1))


@pytest.mark.parametrize(
    ("code", "comma"), [("fr", ", "), ("en", ", "), ("ar", "\u060c "), ("ro", ", ")]
)
def test_the_services_not_answered_yet_are_set_apart_by_the_languages_comma(
    code: str, comma: str
) -> None:
    said = warning(code)
    assert said.count(comma) == 1, said
    if code == "ar":
        assert "," not in said
    if code == "fr":
        assert said.endswith("Annuaire, Mise en relation."), said
