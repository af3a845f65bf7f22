"""A rectification case closes once its owner (intake, directory) answered: they flag it
on the person's record for their staff, who correct it with the person afterwards. The
case's page said « Décision : Fait par le service responsable » then, before anything was
corrected (walking the DPO's /dossiers); it now says what was done."""

from dataclasses import replace
from datetime import UTC, datetime

from entraide.contracts import labels as shared
from entraide.contracts.vocab import SubjectKind
from entraide.kit.web import templates_for
from entraide.privacy.domain.cases import Ack, Case, CaseKind, CaseStatus
from entraide.privacy.entrypoints.http import labels
from entraide.privacy.entrypoints.http.views import case_view
from tests.page_text import text_of

NOW = datetime(2026, 12, 1, 19, 30, tzinfo=UTC)


def page(kind: CaseKind) -> str:
    case = replace(
        Case("c-1", kind, "fam-ref-0001", SubjectKind.FAMILY, NOW, NOW, ("intake",)),
        acks={"intake": Ack("intake", NOW, {"families": 1})},
        status=CaseStatus.CLOSED, decision="done", closed_at=NOW,
    )  # fmt: skip
    context = {"labels": labels, "shared": shared, "request": None, "csrf": "t"}
    context |= {"case": case_view(case, NOW), "trail": [], "destroyed": False}
    return text_of(
        templates_for("entraide.privacy").env.get_template("dossier.html").render(context)
    )


def test_a_closed_rectification_says_it_was_passed_on_not_done() -> None:
    said = page(CaseKind.RECTIFICATION)
    assert "Fait par le service responsable" not in said
    assert "l'équipe la rectifie avec la personne" in said


def test_a_closed_objection_is_done() -> None:
    assert "Fait par le service responsable" in page(CaseKind.OBJECTION)
