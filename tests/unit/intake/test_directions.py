"""Figures and addresses of a translated sentence, isolated left to right for the Arabic
door: each run whole (« 06 12 34 56 78 », « 3, 7 », an e-mail address, a follow-up code),
the Arabic words and digits outside, the rest escaped; other pages unchanged."""

from entraide.intake.entrypoints.http.directions import isolated, left_to_right


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


def test_a_left_to_right_page_keeps_its_sentence_as_it_is() -> None:
    assert isolated("Par exemple 06 12 34 56 78") == "Par exemple 06 12 34 56 78"
