from datetime import UTC, datetime, timedelta

from entraide.directory.domain.offers import events
from entraide.directory.domain.offers import views as export
from tests.unit.directory.offers import fields

NOW = datetime(2026, 11, 28, tzinfo=UTC)


def test_the_data_inclusion_export_keeps_only_data_inclusion_values():
    offer = fields(
        thematiques=["famille--garde-denfants", "entraide--repit-parental"],
        publics=["familles-monoparentales"],
    )
    service = export.data_inclusion_service(
        events.offer_document("a1b2c3d4", "afev", offer, revision=1, now=NOW)
    )
    assert service["thematiques"] == ["famille--garde-denfants"]
    assert service["publics"] == ["familles"]
    assert service["horaires_accueil"] == "We 14:00-18:00; Sa 10:00-17:00"
    assert service["date_maj"] == "2026-11-28"


def test_staff_see_which_offers_need_a_reminder():
    doc = events.offer_document(
        "a1b2c3d4", "afev", fields(), revision=1, now=NOW - timedelta(days=200)
    )
    seen = export.staff_offer(doc, now=NOW)
    assert seen["fraicheur"] == "reminder"
    assert [line.replace("\u00a0", " ") for line in seen["horaires"]] == [
        "mercredi de 14 h à 18 h",
        "samedi de 10 h à 17 h",
    ]


def test_an_offer_updated_after_midnight_in_paris_is_dated_that_day():
    # at 0 h 30 in Paris (23 h 30 UTC) the offer's page read « Mis à jour le » the day before
    late = datetime(2026, 12, 1, 23, 30, tzinfo=UTC)
    doc = events.offer_document("a1b2c3d4", "afev", fields(), revision=1, now=late)
    assert export.public_offer(doc)["mis_a_jour_le"] == "2026-12-02"
    assert export.data_inclusion_service(doc)["date_maj"] == "2026-12-02"
