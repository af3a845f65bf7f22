from datetime import UTC, datetime

import pytest

from entraide.directory.domain.offers import hours, views
from entraide.directory.entrypoints.http import in_language


def test_weekday_ranges_and_several_spans_are_understood():
    slots = hours.parse("Mo-Fr 09:00-12:00,14:00-17:30; Sa 10:00-12:00")
    assert hours.is_open(slots, 0, 9 * 60)
    assert not hours.is_open(slots, 0, 12 * 60 + 30)
    assert hours.is_open(slots, 4, 17 * 60)
    assert hours.is_open(slots, 5, None)
    assert not hours.is_open(slots, 6, None)


def test_a_later_rule_replaces_the_days_hours_as_openstreetmap_reads_it():
    """« Mo-Fr 16:30-19:00; We 14:00-18:00 »: after school on weekdays, on Wednesday (no
    school in the afternoon) from 14 h to 18 h; not both, overlapping."""
    slots = hours.parse("Mo-Fr 16:30-19:00; We 14:00-18:00")
    assert [s for s in slots if s[0] == 2] == [(2, 14 * 60, 18 * 60)]
    assert (3, 16 * 60 + 30, 19 * 60) in slots
    assert said(hours.describe(slots))[2] == "mercredi de 14 h à 18 h"


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


def test_hours_read_as_french_typography_writes_them():
    """The API said « mercredi : 14h00 à 18h00 »; French writes « 14 h », « 13 h 30 »."""
    assert said(hours.describe(hours.parse("We 14:00-18:00"))) == ["mercredi de 14 h à 18 h"]
    assert said(hours.describe(hours.parse("Fr 09:00-12:00,13:30-24:00"))) == [
        "vendredi de 9 h à 12 h et de 13 h 30 à 24 h"
    ]


def test_a_time_of_day_holds_together_on_one_line():
    assert hours.clock(14 * 60) == "14\u00a0h"
    assert hours.clock(9 * 60 + 5) == "9\u00a0h\u00a005"


def test_the_offers_french_page_and_the_api_write_the_hours_alike():
    text = "Tu,Th 14:00-17:00; Fr 09:00-12:00,13:30-17:00"
    doc = {"_id": "o-1", "association_id": "afev", "horaires_accueil": text}
    api = views.public_offer(doc | {"updated_at": datetime(2026, 12, 1, tzinfo=UTC)})["horaires"]
    page = in_language.opening_hours(text, lambda message: message)  # French: no catalog
    assert page == [line[0].upper() + line[1:] for line in api]
    assert said(page) == [
        "Mardi de 14 h à 17 h",
        "Jeudi de 14 h à 17 h",
        "Vendredi de 9 h à 12 h et de 13 h 30 à 17 h",
    ]


def test_the_summary_puts_days_in_a_row_with_the_same_hours_together():
    summary = hours.summary(hours.parse("Mo-Fr 09:00-12:00,14:00-17:00; Sa 10:00-12:00"))
    assert said([summary]) == [
        "du lundi au vendredi de 9 h à 12 h et de 14 h à 17 h ; samedi de 10 h à 12 h"
    ]
    assert said([hours.summary(hours.parse("Tu,Th 14:00-17:00"))]) == [
        "mardi de 14 h à 17 h ; jeudi de 14 h à 17 h"
    ]
    assert said([hours.summary(hours.parse("Mo,Tu 16:30-19:00"))]) == [
        "lundi et mardi de 16 h 30 à 19 h"
    ]


def said(lines: list[str]) -> list[str]:
    """Lines as read (no-break spaces as spaces)."""
    return [line.replace("\u00a0", " ") for line in lines]
