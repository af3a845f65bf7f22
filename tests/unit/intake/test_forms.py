"""The staff form: typed fields to a request, or one French message per wrong field."""

from datetime import UTC, datetime

from starlette.datastructures import FormData

from entraide.intake import forms

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


def test_messages_never_echo_what_was_typed() -> None:
    parsed = parse([*TYPED, ("availability", "xx-<script>")])
    assert set(parsed.errors) == {"availability"}
    assert "script" not in parsed.errors["availability"]


def test_a_record_fills_the_rectification_form_back_to_the_same_request() -> None:
    body = parse(TYPED).request
    assert body is not None
    record = {
        "identity": {
            "parent": body.parent.model_dump(),
            "commune": body.commune,
            "contact_preferences": [],
        },
        "children": [c.model_dump() for c in body.children],
        "postal_code": body.postal_code,
        "languages": body.languages,
        "consent": body.consent.model_dump(mode="json"),
    }
    request = {
        "needs": body.needs,
        "availability": [s.model_dump() for s in body.availability],
        "signs": body.signs,
    }
    values = forms.values_from_record(record, request, notes="")
    again = forms.parse(values, collected_by="Claire", now=NOW).request
    assert again == body
