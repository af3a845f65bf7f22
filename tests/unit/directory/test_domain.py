from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from entraide.contracts import CloudEvent, new_event, parse_event
from entraide.directory.domain.offers import events
from entraide.directory.domain.offers import fields as offer_fields
from entraide.directory.domain.records import may_edit
from tests.unit.directory.offers import fields

NOW = datetime(2026, 11, 28, tzinfo=UTC)


def test_an_offer_untouched_for_six_months_gets_a_reminder_then_is_hidden_at_nine():
    assert offer_fields.freshness(NOW - timedelta(days=179), NOW) is offer_fields.Freshness.FRESH
    assert offer_fields.freshness(NOW - timedelta(days=181), NOW) is offer_fields.Freshness.REMINDER
    assert offer_fields.freshness(NOW - timedelta(days=271), NOW) is offer_fields.Freshness.HIDDEN


def test_staff_edit_only_their_own_association_and_the_network_edits_all():
    assert may_edit(role="staff", own_association="afev", record_association="afev")
    assert not may_edit(role="staff", own_association="afev", record_association="unaf")
    assert not may_edit(role="coordinator", own_association="afev", record_association="unaf")
    assert may_edit(role="network-coordinator", own_association=None, record_association="unaf")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"thematiques": ["cuisine"]}, "thematiques"),
        ({"frais": ["cher"]}, "frais"),
        ({"horaires_accueil": "le mercredi"}, "horaires_accueil"),
        ({"age_min": 12, "age_max": 6}, None),
        ({"zone_eligibilite": ["Loire"]}, "zone_eligibilite"),
    ],
)
def test_an_offer_outside_the_vocabularies_is_refused_naming_the_field(change, field):
    with pytest.raises(ValidationError) as refused:
        fields(**change)
    assert field is None or refused.value.errors()[0]["loc"] == (field,)


def test_needs_follow_the_thematiques():
    offer = fields(thematiques=["famille--garde-denfants", "entraide--repit-parental"])
    assert [n.value for n in offer.needs] == ["repit-garde-ponctuelle"]


def test_the_published_event_is_a_valid_contract_event_keyed_by_the_offer():
    doc = events.offer_document("a1b2c3d4e5f6", "afev", fields(), revision=1, now=NOW)
    event = new_event(
        events.offer_event(doc, kind="published", at=NOW), source="/t", subject="a1b2c3d4e5f6"
    )
    parsed: CloudEvent = parse_event(event.model_dump_json())
    assert parsed.data.offer_id == "a1b2c3d4e5f6"
    assert parsed.data.departements == ["44"]
    assert parsed.data.needs == ["parrainage-de-proximite"]
    withdrawn = events.withdrawn_event(doc, at=NOW)
    assert withdrawn.revision == 2
