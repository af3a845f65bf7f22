"""Validation errors in French: a service's sentence for its field, else the type's."""

from pydantic import BaseModel, Field, ValidationError

from entraide.kit import messages


class Sample(BaseModel):
    code: str = Field(pattern=r"^\d{5}$")
    count: int = Field(ge=1, le=5)
    name: str = Field(min_length=1, max_length=10)
    tags: list[str] = Field(min_length=1)


def _errors(data: dict) -> list[dict]:
    try:
        Sample.model_validate(data)
    except ValidationError as exc:
        return exc.errors()
    raise AssertionError("valid")


def test_each_error_type_has_a_french_sentence_with_its_limits() -> None:
    found = messages.field_errors(
        _errors({"code": "4400", "count": 9, "name": "x" * 11, "tags": []})
    )
    assert {e["field"]: e["message"] for e in found} == {
        "code": "Ce texte n'a pas la forme attendue.",
        "count": "La valeur doit être au plus 5.",
        "name": "Ce texte est trop long (10 caractères au plus).",
        "tags": "Au moins 1 élément attendu.",
    }
    missing = messages.field_errors(_errors({"count": "trois"}))
    assert {e["field"]: e["message"] for e in missing} == {
        "code": "Ce champ est obligatoire.",
        "count": "Un nombre entier est attendu.",
        "name": "Ce champ est obligatoire.",
        "tags": "Ce champ est obligatoire.",
    }
    assert messages.generic("some-new-type") == "Valeur invalide."


def test_a_services_sentence_wins_and_the_value_sent_is_never_echoed() -> None:
    def mine(field: str, error_type: str) -> str | None:
        return "Code postal invalide : 5 chiffres." if field == "code" else None

    found = messages.field_errors(_errors({"code": "75 011", "count": 1, "name": "a"}), mine)
    assert found[0] == {
        "field": "code",
        "message": "Code postal invalide : 5 chiffres.",
        "type": "string_pattern_mismatch",
    }
    assert "75 011" not in str(found)
    body = [{"type": "missing", "loc": ("body", "parent", "phone"), "msg": "Field required"}]
    assert messages.field_errors(body)[0]["field"] == "parent.phone"
