"""The staff form: typed fields to a request, or one French message per wrong field."""

from datetime import UTC, datetime

from starlette.datastructures import FormData

from entraide.contracts.vocab import RequestChannel, Urgency
from entraide.intake.domain.family import Family, Request
from entraide.intake.entrypoints.http import forms

NOW = datetime(2026, 11, 28, 10, tzinfo=UTC)
TYPED = [
    ("parent.first_name", " Amina "),
    ("parent.last_name", "Diallo"),
    ("parent.phone", "06 12 34 56 78"),
    ("children", "2019, 2023;2024"),
    ("postal_code", "44000"),
    ("commune", "Nantes"),
    ("needs", "ecoute"),
    ("needs", "grand-parrainage"),
    ("availability", "we-afternoon"),
    ("signs", "isolement-social"),
    ("consent.matching", "oui"),
]


def parse(pairs: list[tuple[str, str]]) -> forms.Parsed:
    return forms.parse(forms.values_of(FormData(pairs)), collected_by="Claire", now=NOW)


def test_a_complete_form_becomes_a_request_with_consent_collected_by_the_staff_member() -> None:
    parsed = parse(TYPED)
    assert parsed.errors == {}
    body = parsed.request
    assert body is not None
    assert body.parent.first_name == "Amina"
    assert [c.birth_year for c in body.children] == [2019, 2023, 2024]
    assert body.needs == ["ecoute", "grand-parrainage"]
    assert body.availability[0].day == "we"
    assert body.availability[0].part == "afternoon"
    assert body.languages == ["fr"], "French when no language is ticked"
    assert body.consent.collected_by == "Claire"
    assert body.consent.collected_at == NOW
    assert body.parent.email is None


def test_each_wrong_field_gets_its_own_french_message() -> None:
    wrong = dict(TYPED) | {"parent.phone": "12", "postal_code": "4400", "children": "deux mille"}
    pairs = [(k, v) for k, v in wrong.items() if k not in ("needs", "consent.matching")]
    parsed = parse(pairs)
    assert parsed.request is None
    assert parsed.errors["parent.phone"].startswith("Numéro de téléphone invalide")
    assert parsed.errors["postal_code"].startswith("Code postal invalide")
    assert parsed.errors["children"].startswith("Écrivez les années en chiffres")
    assert parsed.errors["needs"] == "Choisissez au moins un besoin."
    assert parsed.errors["consent.matching"].startswith("Sans l'accord du parent")
    assert parsed.values["parent.phone"] == "12", "typed values come back to the form"


def test_an_empty_form_names_each_missing_field_in_its_sentence() -> None:
    """The error summary lists the sentences alone: « Ce champ est obligatoire. » three
    times (first name, last name, commune) told staff nothing."""
    errors = parse([]).errors
    assert {"parent.first_name", "parent.last_name", "commune"} <= set(errors)
    assert len(set(errors.values())) == len(errors), errors
    assert forms.REQUIRED not in errors.values()
    assert "prénom" in errors["parent.first_name"]
    assert "nom du parent" in errors["parent.last_name"]
    assert "commune" in errors["commune"]


def test_messages_never_echo_what_was_typed() -> None:
    parsed = parse([*TYPED, ("availability", "xx-<script>")])
    assert set(parsed.errors) == {"availability"}
    assert "script" not in parsed.errors["availability"]


def test_a_record_fills_the_rectification_form_back_to_the_same_request() -> None:
    body = parse(TYPED).request
    assert body is not None
    details = body.details()
    identity = {
        "parent": body.parent.model_dump(),
        "commune": body.commune,
        "contact_preferences": [],
    }
    family = Family(
        id="f1",
        family_ref="ref",
        association_id="ppm",
        departement="44",
        identity={},
        lookup=[],
        children_birth_years=details.children_birth_years,
        postal_code=body.postal_code,
        languages=details.languages,
        consent=details.consent,
        created_at=NOW,
        last_contact_at=NOW,
        requests=[],
    )
    request = Request(
        request_id="r1",
        status="submitted",
        revision=1,
        needs=details.needs,
        availability=details.availability,
        signs=details.signs,
        urgency=Urgency.LOW,
        notes={},
        association_id="ppm",
        channel=RequestChannel.STAFF_FORM,
        submitted_at=NOW,
    )
    values = forms.values_from_record(family, identity, request, notes="")
    again = forms.parse(values, collected_by="Claire", now=NOW).request
    assert again == body
