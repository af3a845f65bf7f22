"""The waiting list (/attente) as a coordinator reads it: a family none of the
association's volunteers or actions fits showed « — » under « Proposer », which told them
neither that nothing fits nor why the form was missing."""

from datetime import UTC, datetime

from entraide.kit.web import templates_for
from entraide.matching.domain.paging import Page
from entraide.matching.entrypoints.http import labels
from tests.page_text import text_of
from tests.unit.matching.factories import COORDINATOR


def rendered(options: dict[str, list[tuple[str, float, str]]]) -> str:
    waiting = [
        {"_id": "r1", "since": datetime(2026, 11, 20, tzinfo=UTC), "departement": "44",
         "needs": ["ecoute"], "urgency": "medium", "reason": "no-support-in-range"},
        {"_id": "r2", "since": datetime(2026, 11, 21, tzinfo=UTC), "departement": "44",
         "needs": ["ecoute"], "urgency": "low", "reason": "no-support-in-range"},
    ]  # fmt: skip
    context = {"labels": labels, "request": None, "principal": COORDINATOR, "csrf": "t"}
    context |= {"waiting": waiting, "options": options, "named": {"volunteer:v1": "Bénévole"}}
    context |= {"listed": Page(waiting, 2)}
    template = templates_for("entraide.matching").env.get_template("attente.html")
    return text_of(template.render(context))


def test_a_family_nothing_of_ours_fits_says_so_instead_of_a_dash() -> None:
    page = rendered({"r1": [("volunteer:v1", 1.5, "proche")], "r2": []})
    assert "Bénévole — score 1,50 (proche)" in page
    assert page.count("Aucun de vos bénévoles ni aucune de vos actions ne convient") == 1


def test_only_who_may_propose_is_told_they_may() -> None:
    """Staff (no form: only their association's coordination proposes by hand) read that
    the coordination may; before, every reader was told « vous pouvez aussi proposer »."""
    coordinator = rendered({"r1": [("volunteer:v1", 1.5, "proche")], "r2": []})
    assert "vous pouvez aussi proposer l'un de vos bénévoles" in coordinator
    staff = rendered({})
    assert "vous pouvez aussi proposer" not in staff
    assert "La coordination de l'association peut aussi y proposer" in staff
