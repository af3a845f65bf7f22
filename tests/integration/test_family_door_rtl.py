"""The Arabic family door reads right to left, but what a parent types in figures or Latin
letters does not: the ages « 6, 9, 12 » showed as « 12 ,9 ,6 », the phone example as
« 78 56 34 12 06 ». The phone, e-mail, postal code, ages and follow-up code inputs are
left to right, and on a right-to-left page the examples of their hints and errors are
isolated (`<bdi dir="ltr">`); the French door is unchanged."""

import re
import time

from entraide.intake.app import create_app as intake_app
from entraide.intake.usecases.self_requests import FamilyDoor
from entraide.kit.deps import lookup
from tests.support import serving

LTR_INPUTS = ("ages", "postal_code", "parent-phone", "parent-email")


def input_tag(page: str, id_: str) -> str:
    found = re.search(rf'<input [^>]*id="{id_}"[^>]*>', page, re.S)
    assert found, id_
    return found.group(0)


async def test_on_the_arabic_door_figures_and_addresses_read_left_to_right(
    intake_settings,
) -> None:
    app = intake_app(intake_settings)
    async with serving(app) as intake:
        door = lookup(app, FamilyDoor)
        arabic = (await intake.get("/demander-aide?lang=ar")).text
        french = (await intake.get("/demander-aide?lang=fr")).text
        wrong = await intake.post(
            "/demander-aide?lang=ar",
            data={"ages": "trois", "debut": door.form_token(time.time() - 30), "site_web": ""},
        )
        status = (await intake.get("/suivi?lang=ar")).text
        unknown = (await intake.post("/suivi?lang=ar", data={"code": "AAAA"})).text
    for id_ in LTR_INPUTS:
        assert 'dir="ltr"' in input_tag(arabic, id_), id_
        assert 'dir="ltr"' in input_tag(wrong.text, id_), id_
    for example in ("3, 7", "44000", "06 12 34 56 78", "prenom.nom@exemple.fr"):
        one_line = example.replace(" ", "\u00a0")  # never split over two lines
        assert f'<bdi dir="ltr">{one_line}</bdi>' in arabic, example
    assert "<bdi" not in french  # a left-to-right page needs no isolation
    assert 'dir="ltr"' in input_tag(french, "parent-phone")  # harmless, and one template
    assert wrong.status_code == 422
    ages_error = re.search(r'<p id="ages-erreur" class="fr-error-text">(.*?)</p>', wrong.text)
    assert ages_error, wrong.text
    assert '<bdi dir="ltr">3,\u00a07</bdi>' in ages_error.group(1)
    assert '<a href="#ages">' + ages_error.group(1) + "</a>" in wrong.text  # the summary's
    for page in (status, unknown):
        assert 'dir="ltr"' in input_tag(page, "code")
        assert '<bdi dir="ltr">K7QD\u20119XRA\u2011M3TE\u2011HW2C</bdi>' in page  # unbroken
