"""Figures and addresses of a translated sentence, isolated left to right on an Arabic
page: each run whole (« 06 12 34 56 78 », « 3, 7 », an e-mail address, a follow-up code),
the Arabic words and digits outside, the rest escaped, the sentence one inline piece;
other pages keep their figure runs and codes on one line. The kit's form macros isolate
each hint and error, and make phone, e-mail, postal-code and code fields left to right."""

from collections.abc import Iterator

import pytest
from markupsafe import Markup

from entraide.kit import i18n
from entraide.kit.directions import isolated, left_to_right
from entraide.kit.web import templates_for


def test_each_figure_run_and_address_is_isolated_whole() -> None:
    # on one line: a break inside would lay its two halves right to left again
    assert left_to_right("مثلًا 06 12 34 56 78") == (
        'مثلًا <bdi dir="ltr">06\u00a012\u00a034\u00a056\u00a078</bdi>'
    )
    assert left_to_right("(مثلًا 3, 7).") == '(مثلًا <bdi dir="ltr">3,\u00a07</bdi>).'
    assert left_to_right("مثلًا prenom.nom@exemple.fr") == (
        'مثلًا <bdi dir="ltr">prenom.nom@exemple.fr</bdi>'
    )
    assert left_to_right("مثلًا K7QD-9XRA-M3TE-HW2C") == (
        'مثلًا <bdi dir="ltr">K7QD\u20119XRA\u2011M3TE\u2011HW2C</bdi>'
    )
    assert left_to_right("٣ أطفال") == "٣ أطفال"  # Arabic digits read right to left


def test_the_rest_of_the_sentence_is_escaped() -> None:
    assert left_to_right("<b>l'âge</b> 3") == (
        '&lt;b&gt;l&#39;âge&lt;/b&gt; <bdi dir="ltr">3</bdi>'
    )


def test_a_left_to_right_page_keeps_its_figure_runs_on_one_line() -> None:
    # the Portuguese summary broke « 06 12 | 34 56 78 » at 390 px; no isolation needed
    assert isolated("Por exemplo 06 12 34 56 78.") == (
        "Por exemplo 06\u00a012\u00a034\u00a056\u00a078."
    )
    assert isolated("(par exemple 3, 7)") == "(par exemple 3,\u00a07)"
    assert isolated("Uma idade ultrapassa 17 anos.") == "Uma idade ultrapassa 17 anos."
    translated = Markup("l'âge, 3 ou 7")  # a translation stays Markup, unescaped
    assert isolated(translated) == Markup("l'âge, 3 ou 7")
    assert isinstance(isolated(translated), Markup)


def test_an_arabic_sentence_with_a_figure_is_one_inline_piece() -> None:
    """A field's error is a flex box (its icon, its words): each text run and each <bdi>
    was an item of its own and the spaces at their edges were dropped (« 17 » glued to
    its words)."""
    token = i18n._current.set(i18n.LANGUAGES["ar"])
    try:
        assert isolated("أحد الأعمار يتجاوز 17 سنة.") == (
            '<span>أحد الأعمار يتجاوز <bdi dir="ltr">17</bdi> سنة.</span>'
        )
        assert isolated("اكتب اسمك.") == "اكتب اسمك."  # nothing isolated, nothing added
    finally:
        i18n._current.reset(token)


@pytest.fixture
def arabic() -> Iterator[None]:
    token = i18n._current.set(i18n.LANGUAGES["ar"])
    yield
    i18n._current.reset(token)


def test_a_follow_up_code_never_breaks_at_its_hyphens() -> None:
    # /suivi's error at 390 px: « K7QD-9XRA-M3TE- | HW2C » (English, Portuguese, FALC)
    assert isolated("for example K7QD-9XRA-M3TE-HW2C).") == (
        "for example K7QD\u20119XRA\u2011M3TE\u2011HW2C)."
    )
    assert isolated("prenom.nom-x@exemple.fr") == "prenom.nom-x@exemple.fr"  # an address as typed


def test_markup_keeps_its_tags_and_entities() -> None:
    given = Markup('<a href="/s/1234-5678">l&#39;âge</a> 06 12')
    assert isolated(given) == Markup('<a href="/s/1234-5678">l&#39;âge</a> 06\u00a012')


@pytest.mark.usefixtures("arabic")
def test_an_isolated_sentence_isolated_again_is_the_same() -> None:
    # a template's hint may be isolated before the form macro isolates it
    once = isolated("مثلًا 06 12 34 56 78")
    assert isolated(once) == once
    assert isolated(Markup("l&#39;âge 3")) == '<span>l&#39;âge <bdi dir="ltr">3</bdi></span>'


FORM = """{% import "forms.html" as f %}{{ f.error_summary(errors) }}
{{ f.input("contact", "C", errors, autocomplete="email", hint="ou 06 12 34 56 78") }}
{{ f.input("telephone", "T", {}, type="tel") }}
{{ f.input("code_postal", "P", {}, autocomplete="postal-code") }}
{{ f.input("code_suivi", "S", {}, attrs={"dir": "ltr"}) }}
{{ f.input("nom", "N", {}, autocomplete="family-name") }}"""


@pytest.mark.usefixtures("arabic")
def test_the_form_macros_isolate_hints_and_errors_and_type_numbers_left_to_right() -> None:
    """On /vos-droits in Arabic the phone example read « 78 56 34 12 06 » in the hint and
    the error, and the contact field, right to left, showed a typed « 06 12 34 » as
    « 34 12 06 »; directory's e-mail and postal-code fields were right to left too."""
    env = templates_for("entraide.kit").env
    page = env.from_string(FORM).render(errors={"contact": "مثلًا 06 12 34 56 78"})
    example = '<bdi dir="ltr">06\u00a012\u00a034\u00a056\u00a078</bdi>'
    assert page.count(example) == 3  # the hint, the error, the summary
    for field in ("contact", "telephone", "code_postal", "code_suivi"):
        assert f'id="{field}" name="{field}"' in page
        tag = page.split(f'id="{field}"')[1].split(">")[0]
        assert tag.count('dir="ltr"') == 1, field
    assert "dir=" not in page.split('id="nom"')[1].split(">")[0]  # a name is written as it is


def test_a_left_to_right_form_keeps_its_example_on_one_line() -> None:
    # Romanian /vos-droits broke « 06 12 34 56 / 78 » in the field's error
    env = templates_for("entraide.kit").env
    page = env.from_string(FORM).render(errors={"contact": "de exemplu 06 12 34 56 78)."})
    assert page.count("06\u00a012\u00a034\u00a056\u00a078") == 3
