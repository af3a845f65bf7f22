"""Figures and addresses of a translated sentence, isolated left to right for the Arabic
door: each run whole (« 06 12 34 56 78 », « 3, 7 », an e-mail address, a follow-up code),
the Arabic words and digits outside, the rest escaped, the sentence one inline piece;
other pages keep their figure runs on one line."""

from markupsafe import Markup

from entraide.intake.entrypoints.http.directions import isolated, left_to_right
from entraide.kit import i18n


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
        'مثلًا <bdi dir="ltr">K7QD-9XRA-M3TE-HW2C</bdi>'
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
