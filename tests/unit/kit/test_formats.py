"""The kit's French formats: Paris time (summer and winter), commas, distances, counts."""

from datetime import UTC, date, datetime

from jinja2 import Environment

from entraide.kit import formats, i18n


def test_a_stored_utc_moment_reads_in_paris_time_with_the_zone_where_asked() -> None:
    winter = datetime(2026, 11, 29, 18, 4, tzinfo=UTC)
    summer = datetime(2026, 7, 14, 18, 4, tzinfo=UTC)
    assert formats.when(winter) == "29/11/2026 à\u00a019\u00a0h\u00a004"
    assert formats.when(summer, zone=True) == "14/07/2026 à\u00a020\u00a0h\u00a004 (heure de Paris)"
    naive = winter.replace(tzinfo=None)  # taken as UTC
    assert formats.when(naive) == "29/11/2026 à\u00a019\u00a0h\u00a004"
    assert formats.when("2026-11-29T18:04:00+00:00") == "29/11/2026 à\u00a019\u00a0h\u00a004"


def test_the_time_of_a_moment_never_breaks_but_an_sms_hour_keeps_plain_spaces() -> None:
    """A staff table at 1280 px broke « 3 h 14 » into « 3 h » and « 14 »: on a page or in
    an e-mail, the hour and its « à » hold together (no-break spaces); the line may only
    break after the day. An SMS's hour keeps the SMS alphabet (no no-break space in it)."""
    at = datetime(2026, 12, 1, 2, 14, tzinfo=UTC)
    assert formats.when(at).split(" ") == ["01/12/2026", "à\u00a03\u00a0h\u00a014"]
    assert formats.when(at, zone=True).startswith("01/12/2026 à\u00a03\u00a0h\u00a014 (")
    assert formats.hour(at) == "3 h 14"


def test_a_moment_late_in_the_evening_counts_for_the_next_day_in_paris() -> None:
    assert formats.day(datetime(2026, 11, 29, 23, 30, tzinfo=UTC)) == "30/11/2026"
    assert formats.day("2026-11-29") == "29/11/2026"  # a day stays the day it is
    assert formats.day(date(2026, 1, 5)) == "05/01/2026"
    assert formats.long_day(date(2026, 8, 1)) == "1er août 2026"
    assert formats.long_day(date(2026, 8, 11)) == "11 août 2026"
    assert formats.long_day(date(2026, 8, 1), "en_GB") == "1 August 2026"
    assert formats.day(None) == "—"


def test_numbers_have_a_decimal_comma_and_french_thousands() -> None:
    assert formats.decimal(2.1, 2) == "2,10"
    assert formats.decimal(-0.0, 2) == "0,00"
    assert formats.km(0) == "0,0\u00a0km"
    assert formats.km(12.345) == "12,3\u00a0km"
    assert formats.number(12345) == "12\u202f345"
    assert formats.count(0, "famille") == "0 famille"
    assert formats.count(2, "dossier ouvert", "dossiers ouverts") == "2 dossiers ouverts"


def test_templates_get_the_same_formats_as_filters() -> None:
    env = Environment(autoescape=True)
    formats.install(env)
    page = env.from_string(
        "{{ at | when(zone=True) }} · {{ s | decimal(2) }} · {{ d | km }} · {{ n | count('famille') }}"
    )
    at = datetime(2026, 11, 29, 18, 4, tzinfo=UTC)
    assert page.render(at=at, s=2.1, d=0.4, n=3) == (
        "29/11/2026 à\u00a019\u00a0h\u00a004 (heure de Paris) · 2,10 · 0,4\u00a0km · 3 familles"
    )


def test_a_distance_reads_with_the_decimal_of_the_pages_language() -> None:
    assert formats.km(0.24, locale=i18n.locale_for("en")) == "0.2\u00a0km"
    assert formats.km(3.36, locale=i18n.locale_for("fr")) == "3,4\u00a0km"
    assert formats.km(3.36, locale=i18n.locale_for("pt")) == "3,4\u00a0km"
    assert formats.km(3.36, locale=i18n.locale_for("ro")) == "3,4\u00a0km"
    # Babel's ar: its decimal point, and its symbol (« km » read as a foreign word)
    assert formats.km(3.36, locale=i18n.locale_for("ar")) == "3.4\u00a0كم"
    assert formats.km(None, locale="en_GB") == "—"


def test_today_is_the_day_it_is_in_paris() -> None:
    """Between midnight in Paris and midnight UTC the server's day is still yesterday: a
    contact noted at 00:30 on 2 December would have been « in the future »."""
    assert formats.today(datetime(2026, 12, 1, 23, 30, tzinfo=UTC)) == date(2026, 12, 2)
    assert formats.today(datetime(2026, 7, 1, 21, 59, tzinfo=UTC)) == date(2026, 7, 1)
    assert formats.today(datetime(2026, 7, 1, 22, 0, tzinfo=UTC)) == date(2026, 7, 2)


def test_a_french_phone_reads_in_pairs_however_it_was_typed() -> None:
    for typed in ("0611223399", "06.11.22.33.99", "06 11 22 33 99", "06-11-22-33-99"):
        assert formats.phone(typed) == "06 11 22 33 99"
    assert formats.phone("+33611223399") == "+33 6 11 22 33 99"
    assert formats.phone("0033 6 11 22 33 99") == "+33 6 11 22 33 99"
    assert formats.phone("+44 20 7946 0958") == "+44 20 7946 0958", "another country's: as typed"
    assert formats.phone(None) == ""
