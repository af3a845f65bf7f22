"""The APIs' 422 answers name each field with a French sentence, the one its form says
(intake's family form, directory's volunteer form, the DPO's case form), else the kit's
French sentence of the error's type; never pydantic's English, never the value sent."""

import re

from entraide.directory.app import create_app as directory_app
from entraide.directory.settings import DirectorySettings
from entraide.intake.app import create_app as intake_app
from entraide.intake.entrypoints.http import forms
from entraide.matching.app import create_app as matching_app
from entraide.privacy.app import create_app as privacy_app
from entraide.privacy.entrypoints.http import labels as privacy_labels
from tests.infra import settings_on
from tests.integration.test_staff_pages import csrf_of
from tests.page_text import text_of
from tests.support import request_body, serving

ENGLISH = re.compile(r"Field required|should|Input|valid (integer|string)|pattern", re.I)


def _fields(answer) -> dict[str, str]:
    assert answer.status_code == 422, answer.text
    fields = {err["field"]: err["message"] for err in answer.json()["detail"]}
    assert not [m for m in fields.values() if ENGLISH.search(m)], fields
    return fields


async def test_intake_says_the_forms_sentences(intake_settings, staff_bearer, dev_issuer) -> None:
    body = request_body() | {"postal_code": "4400"}
    body["parent"]["phone"] = "12"
    body["children"] = [{"birth_year": "deux mille"}]
    del body["needs"]
    async with serving(intake_app(intake_settings), ready=False) as intake:
        api = await intake.post("/api/v1/requests", json=body, headers=staff_bearer)
        await dev_issuer.sign_in(intake, "ppm-nantes")
        page = await intake.get("/familles/nouvelle")
        form = {"csrf": csrf_of(page.text), "postal_code": "4400", "parent.phone": "12"}
        typed = await intake.post("/familles/nouvelle", data=form)

    fields = _fields(api)
    assert fields["postal_code"] == forms.PATTERN_MESSAGES["postal_code"]
    assert fields["parent.phone"] == forms.PATTERN_MESSAGES["parent.phone"]
    assert fields["needs"] == "Ce champ est obligatoire."
    assert fields["children.0.birth_year"] == forms.FIELD_MESSAGES[("children", "int_parsing")]
    assert "deux mille" not in api.text, "never the value sent"
    shown = text_of(typed.text)  # the form says the same sentences
    assert forms.PATTERN_MESSAGES["postal_code"] in shown
    assert forms.PATTERN_MESSAGES["parent.phone"] in shown


async def test_directory_privacy_and_matching_answer_in_french(
    infra, unique, privacy_settings, matching_settings, dev_issuer
) -> None:
    directory = directory_app(
        settings_on(DirectorySettings, infra, f"test_directory_{unique}", keys="local")
    )
    application = {"identity": {"prenom": "", "nom": "Martin"}, "code_postal": "440"}
    async with serving(directory, ready=False) as client:
        volunteer = await client.post("/api/v1/volunteers", json=application)
        unknown = await client.post(
            "/api/v1/volunteers",
            json={
                "identity": {"prenom": "Léa", "nom": "Martin", "courriel": "lea@exemple.fr"},
                "association_id": "inconnue",
                "code_postal": "44000",
                "needs": ["ecoute"],
                "availability": [{"day": "mo", "part": "evening"}],
                "consent": True,
            },
        )
    dpo = {"Authorization": f"Bearer {await dev_issuer.token_for('dpo')}"}
    async with serving(privacy_app(privacy_settings), ready=False) as client:
        case = await client.post(
            "/api/v1/cases",
            json={"kind": "oubli", "subject_ref": "a b", "subject_kind": "x"},
            headers=dpo,
        )
    coordinator = {"Authorization": f"Bearer {await dev_issuer.token_for('coordination-ppm')}"}
    async with serving(matching_app(dev_issuer.settings_for(matching_settings))) as client:
        decision = await client.post("/api/v1/proposals/m-1", json={}, headers=coordinator)

    fields = _fields(volunteer)
    assert fields["code_postal"] == "Indiquez un code postal à 5 chiffres, par exemple 44000."
    assert fields["identity.prenom"] == "Indiquez votre prénom."
    assert fields["association_id"] == "Choisissez une association."
    assert _fields(unknown) == {"association_id": "Choisissez une association."}
    assert _fields(case) == {
        "kind": privacy_labels.FORM_ERRORS["kind"],
        "subject_ref": privacy_labels.FORM_ERRORS["subject_ref"],
        "subject_kind": privacy_labels.FORM_ERRORS["subject_kind"],
    }
    assert set(_fields(decision).values()) == {"Ce champ est obligatoire."}
