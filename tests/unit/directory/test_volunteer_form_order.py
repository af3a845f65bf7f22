"""The volunteer form's error summary follows the page: its field order is the order
benevole.html shows the fields in (the association came before the postal code)."""

import re
from pathlib import Path

from entraide.directory.entrypoints.http.volunteers import form

TEMPLATE = Path(form.__file__).parents[3] / "templates" / "benevole.html"
FIELD = re.compile(r'f\.(?:input|textarea|checkboxes|select)\("(\w+)"')


def test_the_summarys_order_is_the_pages() -> None:
    assert FIELD.findall(TEMPLATE.read_text()) == list(form.PAGE_ORDER)


def test_an_empty_form_lists_its_errors_from_the_top() -> None:
    empty = {name: "" for name in form.FIELDS} | {"needs": [], "slots": [], "langues": []}
    empty["consent"] = ""
    errors = form.application(empty)
    assert isinstance(errors, dict)
    shown = list(form.context(empty, errors)["errors"])
    assert shown.index("code_postal") < shown.index("association_id")
    assert shown == [name for name in form.PAGE_ORDER if name in errors]
