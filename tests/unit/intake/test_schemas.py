import pytest
from pydantic import ValidationError

from entraide.intake.entrypoints.http.schemas import RequestIn


def valid() -> dict:
    return {
        "parent": {"first_name": "Amina", "last_name": "Diallo", "phone": "06 12 34 56 78"},
        "children": [{"birth_year": 2019}],
        "postal_code": "44000",
        "commune": "Nantes",
        "needs": ["parrainage-de-proximite"],
        "association_id": "parrains-par-mille",
        "consent": {
            "matching": True,
            "collected_by": "Claire",
            "collected_at": "2026-11-28T10:00:00Z",
        },
    }


def error_fields(body: dict) -> list[tuple]:
    with pytest.raises(ValidationError) as caught:
        RequestIn.model_validate(body)
    return [err["loc"] for err in caught.value.errors()]


def test_valid_request_is_accepted() -> None:
    assert RequestIn.model_validate(valid()).languages == ["fr"]


def test_no_consent_no_matching() -> None:
    body = valid()
    body["consent"]["matching"] = False
    assert error_fields(body) == [("consent", "matching")]


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("postal_code",), "4400"),
        (("parent", "phone"), "12"),
        (("needs",), []),
        (("children",), []),
        (("needs",), ["massage"]),
        (("children", 0, "birth_year"), 2999),
    ],
)
def test_bad_field_is_named(path: tuple, value: object) -> None:
    body = valid()
    target = body
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    assert error_fields(body)[0][: len(path)] == path


def test_unknown_field_is_refused() -> None:
    body = valid() | {"social_security_number": "1 85 05 78 006 084 36"}
    assert error_fields(body) == [("social_security_number",)]
