"""A volunteer's phone is checked as intake checks a family's: « 06 12 34 56 7 » is
refused with a sentence that says what to type, and shown back in pairs."""

import pytest
from pydantic import TypeAdapter, ValidationError

from entraide.contracts.fields import Phone
from entraide.directory.domain.volunteers.application import Application
from entraide.directory.entrypoints.http.volunteers import form
from entraide.intake.entrypoints.http import schemas
from tests.unit.directory.test_volunteering import FORM

TYPED = {
    "prenom": "Gérard",
    "nom": "Invente",
    "courriel": "gerard@example.org",
    "telephone": "",
    "code_postal": "44000",
    "association_id": "parrains-par-mille",
    "capacite": "1",
    "needs": ["parrainage-de-proximite"],
    "slots": ["we-afternoon"],
    "langues": [],
    "consent": "oui",
}


def with_phone(phone: str) -> Application:
    return Application.model_validate(FORM | {"identity": FORM["identity"] | {"telephone": phone}})


@pytest.mark.parametrize("phone", ["06 12 34 56 78", "0612345678", "+33612345678"])
def test_a_french_number_is_taken(phone: str) -> None:
    assert with_phone(phone).identity.telephone == phone


@pytest.mark.parametrize("phone", ["06 12 34 56 7", "06 12 34 56 789", "12345", "appelez-moi"])
def test_a_wrong_number_is_refused_as_intake_refuses_it(phone: str) -> None:
    with pytest.raises(ValidationError, match=r"identity\.telephone"):
        with_phone(phone)
    with pytest.raises(ValidationError):
        TypeAdapter(schemas.Phone).validate_python(phone)  # intake's family door and staff


def test_intake_and_directory_check_one_phone() -> None:
    assert schemas.Phone is Phone


def test_the_form_says_what_to_type_on_the_phones_field() -> None:
    errors = form.application(TYPED | {"telephone": "06 12 34 56 7"})
    assert errors == {
        "telephone": "Indiquez un numéro de téléphone à 10 chiffres, par exemple "
        "06 12 34 56 78, ou laissez ce champ vide."
    }
    assert isinstance(form.application(TYPED), Application)  # no phone: fine
    assert isinstance(form.application(TYPED | {"telephone": "0612345678"}), Application)


def test_sms_without_a_phone_is_named_not_turned_into_e_mail() -> None:
    """« Par SMS au téléphone indiqué » ticked with no phone was taken, and the volunteer,
    who chose SMS, was told by e-mail without a word: the form now asks for the number."""
    errors = form.application(TYPED | {"sms": "oui"})
    assert errors == {"telephone": form.MISMATCHES["sms_without_phone"]}
    assert errors["telephone"].startswith("Indiquez votre numéro de téléphone")
    chosen = form.application(TYPED | {"sms": "oui", "telephone": "06 12 34 56 78"})
    assert isinstance(chosen, Application)
    assert chosen.identity.canal == "sms"
    # named beside the other fields' mistakes, not on a second try
    both = form.application(TYPED | {"sms": "oui", "code_postal": "4400"})
    assert set(both) == {"telephone", "code_postal"}


def test_an_unknown_postal_code_of_five_digits_is_not_told_to_have_five_digits() -> None:
    """« 99999 » read « Indiquez un code postal à 5 chiffres »: five were typed."""
    errors = form.application(TYPED | {"code_postal": "99999"})
    assert errors == {"code_postal": form.MISMATCHES["unknown_postal_code"]}
    assert "5 chiffres" not in errors["code_postal"]
    assert form.application(TYPED | {"code_postal": "4400"}) == {
        "code_postal": form.MESSAGES["code_postal"]
    }
    # the API's 422 for an application says the form's sentence
    assert form.api_message("code_postal", "value_error") == form.MISMATCHES["unknown_postal_code"]
    assert (
        form.api_message("code_postal", "string_pattern_mismatch") == form.MESSAGES["code_postal"]
    )
