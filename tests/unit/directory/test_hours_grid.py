"""The edit form's week grid ⇄ the stored opening_hours: filled from them, read back into
them, its errors in French by day."""

import pytest

from entraide.directory.domain.offers import hours
from entraide.directory.entrypoints.http.offers import hours_grid


def typed(**days: tuple[str, ...]) -> dict[str, str]:
    """The grid's inputs as typed: `mardi=("14:00", "18:00")`, the others empty."""
    form = dict.fromkeys(hours_grid.INPUTS, "")
    for label, times in days.items():
        day = hours.DAY_LABELS.index(label)
        for at, time in enumerate(times):
            form[hours_grid.name(day, at // 2, hours_grid.ENDS[at % 2])] = time
    return form


@pytest.mark.parametrize(
    "text",
    [
        "We 14:00-18:00; Sa 10:00-17:00",
        "Mo-Fr 09:00-12:00,14:00-17:30; Sa 10:00-12:00",
        "Tu,Th 14:00-17:00; Fr 09:00-12:00,13:30-24:00",
        "Mo,We 14:00-17:00; Su 00:00-24:00",
    ],
)
def test_stored_hours_fill_the_grid_and_read_back_the_same(text):
    form = hours_grid.fill(text)
    assert form is not None
    slots, errors = hours_grid.read(form)
    assert errors == {}
    assert slots == hours.parse(text)
    assert hours.parse(hours.write(slots)) == slots
    assert hours_grid.stored(slots, text) == text  # saved unchanged: kept as written


def test_the_grid_shows_the_days_spans_in_their_inputs():
    form = hours_grid.fill("Mo-Fr 09:00-12:00,14:00-17:30; Sa 10:00-24:00")
    assert form == typed(
        **{day: ("09:00", "12:00", "14:00", "17:30") for day in hours.DAY_LABELS[:5]},
        samedi=("10:00", "00:00"),  # until midnight
    )
    assert hours_grid.fill(None) == typed()


def test_a_grid_becomes_opening_hours_with_alike_days_together():
    form = typed(
        lundi=("09:00", "12:00", "14:00", "17:00"),
        mardi=("09:00", "12:00", "14:00", "17:00"),
        mercredi=("14:00", "17:00", "09:00", "12:00"),  # in any order
        vendredi=("09:00", "12:00", "14:00", "17:00"),
        samedi=("", "", "10:00", "12:00"),  # the second span alone
        dimanche=("18:00", "00:00"),
    )
    slots, errors = hours_grid.read(form)
    assert errors == {}
    text = hours_grid.stored(slots, "We 14:00-18:00")
    assert text == "Mo-We,Fr 09:00-12:00,14:00-17:00; Sa 10:00-12:00; Su 18:00-24:00"
    assert hours.parse(text) == slots
    assert hours_grid.stored([], "We 14:00-18:00") is None  # emptied: no hours


def test_hours_the_grid_cannot_show_are_kept_until_it_is_filled():
    for text in (
        "Mo 08:00-10:00,11:00-13:00,14:00-16:00",
        "Tu-Th 09:00-10:00,11:00-12:00,14:00-15:00",
    ):
        assert hours_grid.fill(text) is None
        assert hours_grid.stored([], text) == text
        slots, _ = hours_grid.read(typed(jeudi=("10:00", "12:00")))
        assert hours_grid.stored(slots, text) == "Th 10:00-12:00"


@pytest.mark.parametrize(
    ("day", "times", "said"),
    [
        ("mardi", ("18:00", "14:00"), "Mardi : l'heure de fin doit suivre l'heure de début."),
        ("mardi", ("14:00", "14:00"), "Mardi : l'heure de fin doit suivre l'heure de début."),
        ("lundi", ("09:00", ""), "Lundi : indiquez l'heure de fin de la première plage."),
        (
            "jeudi",
            ("09:00", "12:00", "", "17:00"),
            "Jeudi : indiquez l'heure de début de la deuxième plage.",
        ),
        (
            "vendredi",
            ("09:00", "13:00", "12:00", "17:00"),
            "Vendredi : les deux plages se chevauchent.",
        ),
        (
            "dimanche",
            ("9 heures", "12:00"),
            "Dimanche : heure non comprise dans la première plage : écrivez-la comme 14:30.",
        ),
        (
            "samedi",
            ("10:00", "24:30"),
            "Samedi : heure non comprise dans la première plage : écrivez-la comme 14:30.",
        ),
    ],
)
def test_a_wrong_span_is_said_in_french_beside_its_day(day, times, said):
    _, errors = hours_grid.read(typed(mercredi=("14:00", "18:00"), **{day: times}))
    at = hours.DAY_LABELS.index(day)
    assert errors == {hours_grid.GRID[at].error: said}
    assert hours_grid.GRID[at].error == f"horaires-{day}-1-de"  # the summary's link


def test_what_a_browser_without_time_inputs_sends_is_understood():
    slots, errors = hours_grid.read(typed(mardi=("9h", "12h30", "14:00:00", "17:00")))
    assert errors == {}
    assert slots == [(1, 9 * 60, 12 * 60 + 30), (1, 14 * 60, 17 * 60)]


def test_the_inputs_are_named_for_a_screen_reader_by_day_and_span():
    tuesday = hours_grid.GRID[1]
    assert [span.said + " de" for span in tuesday.spans] == [
        "Mardi, première plage, de",
        "Mardi, deuxième plage, de",
    ]
    assert len(hours_grid.INPUTS) == 28
