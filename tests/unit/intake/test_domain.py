from datetime import UTC, datetime

import pytest

from entraide.contracts.events import Slot
from entraide.contracts.vocab import AgeBand, DayPart, Need, RequestChannel, Urgency, Weekday
from entraide.intake.domain import requests as domain
from entraide.intake.domain.requests import Sign


@pytest.mark.parametrize(
    ("birth_year", "band"),
    [
        (2026, AgeBand.BAND_0_2),
        (2024, AgeBand.BAND_0_2),
        (2023, AgeBand.BAND_3_5),
        (2016, AgeBand.BAND_6_10),
        (2012, AgeBand.BAND_11_14),
        (2009, AgeBand.BAND_15_17),
        (2008, AgeBand.BAND_18_PLUS),
    ],
)
def test_children_ages_travel_as_bands(birth_year: int, band: AgeBand) -> None:
    assert domain.age_band(birth_year, 2026) == band


@pytest.mark.parametrize(
    ("postal_code", "departement"),
    [
        ("44000", "44"),
        ("93200", "93"),
        ("75011", "75"),
        ("20000", "2A"),
        ("20200", "2B"),
        ("97400", "974"),
        ("58000", "58"),
    ],
)
def test_departement_from_postal_code(postal_code: str, departement: str) -> None:
    assert domain.departement_of(postal_code) == departement


def test_urgency_rises_with_the_signs() -> None:
    assert domain.urgency_from(set()) == Urgency.LOW
    assert domain.urgency_from({Sign.ISOLEMENT}) == Urgency.MEDIUM
    assert domain.urgency_from({Sign.EPUISEMENT, Sign.SANS_RELAIS}) == Urgency.HIGH
    assert domain.urgency_from({Sign.ISOLEMENT, Sign.SANTE, Sign.RUPTURE}) == Urgency.HIGH
    assert domain.urgency_from({Sign.CRISE}) == Urgency.CRITICAL


def test_family_refs_are_random_pseudonyms() -> None:
    refs = {domain.new_family_ref() for _ in range(1000)}
    assert len(refs) == 1000
    assert all(8 <= len(r) <= 64 for r in refs)


def test_submitted_event_is_coarse() -> None:
    event = domain.submitted_event(
        request_id=domain.new_request_id(),
        family_ref=domain.new_family_ref(),
        postal_code="44300",
        children_birth_years=[2012, 2024, 2023],
        needs=[Need.ECOUTE, Need.ECOUTE, Need.REPIT_GARDE],
        availability=[Slot(day=Weekday.WEDNESDAY, part=DayPart.AFTERNOON)],
        languages=["fr", "ar", "fr"],
        signs={Sign.CRISE},
        association_id="afev",
        channel=RequestChannel.STAFF_API,
        consent_to_matching=True,
        at=datetime(2026, 11, 28, tzinfo=UTC),
    )
    assert event.departement == "44"
    assert event.children_age_bands == [AgeBand.BAND_0_2, AgeBand.BAND_3_5, AgeBand.BAND_11_14]
    assert event.needs == [Need.ECOUTE, Need.REPIT_GARDE]
    assert event.languages == ["ar", "fr"]
    assert event.urgency == Urgency.CRITICAL
    assert event.revision == 1


def test_lookup_terms_ignore_accents_case_and_punctuation() -> None:
    one = domain.lookup_terms(
        first_name="Élodie-Marie", last_name="N'Diaye", phone="06 12 34 56 78", email=" E@X.fr"
    )
    two = domain.lookup_terms(
        first_name="elodie marie", last_name="n diaye", phone="+33612345678", email="e@x.fr"
    )
    assert one == two
    assert domain.lookup_terms(first_name="", last_name="Diallo", phone=None, email=None) == []
