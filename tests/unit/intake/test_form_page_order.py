"""Each form's field order, which its error summary follows, is the order its template
shows the fields in: a field moved on the page moves in the summary too."""

import re
from pathlib import Path

import pytest

from entraide.intake.entrypoints.http import another_request_pages, family_door_form, forms
from entraide.kit import messages

TEMPLATES = Path(forms.__file__).parents[2] / "templates"
FIELD = re.compile(r'f\.(?:input|textarea|checkboxes|select)\("([\w.]+)"|name="(consent\.\w+)"')
INCLUDE = re.compile(r'{%\s*include\s+"([^"]+)"\s*%}')


def text_of(template: str) -> str:
    """The template's text, its includes in place."""
    return INCLUDE.sub(lambda m: text_of(m.group(1)), (TEMPLATES / template).read_text())


@pytest.mark.parametrize(
    ("template", "order"),
    [
        ("demander_aide.html", family_door_form.PAGE_ORDER),
        ("famille_formulaire.html", forms.PAGE_ORDER),
        ("nouvelle_demande.html", another_request_pages.PAGE_ORDER),
    ],
)
def test_the_summarys_order_is_the_pages(template: str, order: tuple[str, ...]) -> None:
    shown = [a or b for a, b in FIELD.findall(text_of(template))]
    assert shown == list(order)


def test_errors_are_put_in_the_pages_order_unknown_fields_last() -> None:
    errors = {"needs": "n", "other": "o", "association_id": "a", "children": "c"}
    assert list(messages.in_page_order(errors, forms.PAGE_ORDER)) == [
        "association_id",
        "children",
        "needs",
        "other",
    ]
