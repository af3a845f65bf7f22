import pytest

from entraide.directory.domain.offers import hours


def test_weekday_ranges_and_several_spans_are_understood():
    slots = hours.parse("Mo-Fr 09:00-12:00,14:00-17:30; Sa 10:00-12:00")
    assert hours.is_open(slots, 0, 9 * 60)
    assert not hours.is_open(slots, 0, 12 * 60 + 30)
    assert hours.is_open(slots, 4, 17 * 60)
    assert hours.is_open(slots, 5, None)
    assert not hours.is_open(slots, 6, None)


def test_off_removes_a_day_and_always_open_covers_the_week():
    slots = hours.parse("Mo-Su 08:00-20:00; We off")
    assert not hours.is_open(slots, 2, 10 * 60)
    assert hours.is_open(hours.parse("24/7"), 6, 3 * 60)


@pytest.mark.parametrize(
    "text", ["Lundi 9h-12h", "Mo 12:00-09:00", "Xx 09:00-10:00", "Mo 9-12", ""]
)
def test_what_is_not_opening_hours_syntax_is_refused(text):
    with pytest.raises(hours.HoursError):
        hours.parse(text)


def test_hours_read_in_french():
    assert hours.describe(hours.parse("We 14:00-18:00")) == ["mercredi : 14h00 à 18h00"]


def test_the_summary_puts_days_in_a_row_with_the_same_hours_together():
    def clock(minute: int) -> str:
        return f"{minute // 60}h{minute % 60:02d}"

    summary = hours.summary(hours.parse("Mo-Fr 09:00-12:00,14:00-17:00; Sa 10:00-12:00"), clock)
    assert summary == (
        "du lundi au vendredi de 9h00 à 12h00 et de 14h00 à 17h00 ; samedi de 10h00 à 12h00"
    )
    assert hours.summary(hours.parse("Tu,Th 14:00-17:00"), clock) == (
        "mardi de 14h00 à 17h00 ; jeudi de 14h00 à 17h00"
    )
    assert hours.summary(hours.parse("Mo,Tu 16:30-19:00"), clock) == (
        "lundi et mardi de 16h30 à 19h00"
    )
