"""The error summary of intake's forms, on the rendered page: its links come in the order
of the fields they lead to, as a parent or staff member fills the form from the top (it
listed the door's e-mail before the children's ages, the staff form's association last)."""

import re

from entraide.intake.app import create_app as intake_app
from entraide.intake.usecases.self_requests import FamilyDoor
from entraide.kit.deps import lookup
from tests.integration.test_family_door import form
from tests.integration.test_staff_pages import FORM, post_form
from tests.support import serving


def summary_and_fields(page: str) -> tuple[list[str], list[str]]:
    """The summary's links (their targets), and the same targets in the page's order."""
    summary = page.split('id="erreurs"', 1)[1].split("</ul>", 1)[0]
    links = re.findall(r'<li><a href="#([\w-]+)">', summary)
    form_part = page.split("</ul>", 1)[1]
    where = {name: form_part.find(f'id="{name}"') for name in links}
    assert all(at >= 0 for at in where.values()), where  # each link leads to a field
    return links, sorted(links, key=where.__getitem__)


async def test_the_family_doors_summary_follows_the_form(intake_settings) -> None:
    app = intake_app(intake_settings)
    async with serving(app) as intake:
        door = lookup(app, FamilyDoor)
        wrong = form(door, ages="", needs=[], contact_preferences=["email"], commune="Lyon") | {
            "parent.email": ""
        }
        answer = await intake.post("/demander-aide", data=wrong)
    assert answer.status_code == 422
    links, in_page = summary_and_fields(answer.text)
    assert len(links) == 4, links  # needs, ages, commune, e-mail
    assert links == in_page


async def test_the_staff_forms_summary_follows_the_form(intake_settings, dev_issuer) -> None:
    async with serving(intake_app(dev_issuer.settings_for(intake_settings))) as intake:
        await dev_issuer.sign_in(intake, "coordination-reseau")  # chooses the association
        wrong = FORM | {"parent.email": "nope", "children": "", "needs": []}
        answer = await post_form(intake, "/familles/nouvelle", "/familles/nouvelle", wrong)
    assert answer.status_code == 422
    links, in_page = summary_and_fields(answer.text)
    assert len(links) == 4, links  # association, e-mail, children, needs
    assert links == in_page
