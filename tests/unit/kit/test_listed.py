"""A list of labels joined with commas read wrong when a label holds one: « Parrainage de
proximité, Répit, garde ponctuelle » read as three needs, and in Arabic the joiner was a
Latin « , » (or « ، », which the Arabic label itself holds). One kit filter, `listed`, sets
the items apart by a semicolon (Arabic's in Arabic), on the pages and in the messages."""

from datetime import date

import pytest

from entraide.kit import formats, i18n
from entraide.kit.notifications import Channel
from entraide.kit.notifications.templates import Renderer
from entraide.kit.web import templates_for

NEEDS = {"parrainage": "Parrainage de proximité", "repit": "Répit, garde ponctuelle"}
ARABIC = ["إرشاد قريب", "استراحة للوالد، رعاية عرضية للأطفال"]


def test_labels_with_a_comma_stay_one_item_each() -> None:
    assert formats.listed(["parrainage", "repit"], NEEDS) == (
        "Parrainage de proximité ; Répit, garde ponctuelle"
    )
    assert formats.listed(["Mentoring", "Respite, occasional childcare"], locale="en_GB") == (
        "Mentoring; Respite, occasional childcare"
    )
    assert formats.listed(ARABIC, locale="ar") == f"{ARABIC[0]}\u061b {ARABIC[1]}"
    assert formats.listed(["inconnu"], NEEDS) == "inconnu"  # a code with no word, as is
    assert formats.listed([]) == formats.listed(None) == ""


@pytest.mark.parametrize(("code", "joined"), [("fr", " ; "), ("ar", "\u061b "), ("pt", "; ")])
def test_a_page_lists_in_its_language(code: str, joined: str) -> None:
    env = templates_for("entraide.kit").env
    token = i18n._current.set(i18n.LANGUAGES[code])
    try:
        text = env.from_string("{{ needs | listed(words) }}").render(
            needs=["parrainage", "repit"], words=NEEDS
        )
    finally:
        i18n._current.reset(token)
    assert text == f"Parrainage de proximité{joined}Répit, garde ponctuelle"


@pytest.mark.parametrize(("code", "joined"), [("fr", " ; "), ("ar", "\u061b "), ("en", "; ")])
def test_a_volunteers_proposal_lists_the_needs_apart(code: str, joined: str) -> None:
    context = {
        "association": "AFEV", "departement": "44", "link": "http://127.0.0.1:8020/espace",
        "needs": ["parrainage de proximité", "répit, garde ponctuelle"], "by_phone": False,
        "on": date(2026, 12, 1),
    }  # fmt: skip
    renderer = Renderer()
    for channel in (Channel.EMAIL, Channel.SMS):
        text = renderer.render("proposition-benevole", channel, context, code).text
        assert f"parrainage de proximité{joined}répit, garde ponctuelle" in text, text


def test_items_may_be_worded_by_a_function_as_a_page_translates_them() -> None:
    said = formats.listed(["Écoute", "Répit, garde ponctuelle"], str.upper)
    assert said == "ÉCOUTE ; RÉPIT, GARDE PONCTUELLE"


@pytest.mark.parametrize(("code", "joined"), [("fr", ", "), ("ar", "\u060c "), ("ro", ", ")])
def test_a_lines_parts_are_set_apart_by_the_languages_comma(code: str, joined: str) -> None:
    env = templates_for("entraide.kit").env
    token = i18n._current.set(i18n.LANGUAGES[code])
    try:
        text = env.from_string("Rezé{{ comma() }}3 km").render()
    finally:
        i18n._current.reset(token)
    assert text == f"Rezé{joined}3 km"
