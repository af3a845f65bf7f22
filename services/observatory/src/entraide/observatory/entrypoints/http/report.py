"""The monthly report of one territory, that a coordinator can send to a funder: the
month's figures of that territory, indicator by indicator (as protected as the pages),
in HTML and in PDF."""

from dataclasses import dataclass

from fastapi import APIRouter, HTTPException, Request, Response

from entraide.observatory.domain.indicators import BY_KEY
from entraide.observatory.domain.protection import TOTAL
from entraide.observatory.entrypoints.http import labels
from entraide.observatory.entrypoints.http.access import Reader
from entraide.observatory.entrypoints.http.deps import ObservatoryDep, PagesDep
from entraide.observatory.entrypoints.http.pdf import report_pdf
from entraide.observatory.entrypoints.http.views import shown
from entraide.observatory.usecases.publish import Observatory

router = APIRouter(include_in_schema=False)
SECTIONS = (
    "demande-besoin",
    "demande-urgence",
    "demande-signes",
    "demande-canal",
    "offre-places",
    "offre-benevoles",
    "couverture",
    "delai-proposition",
    "delai-acceptation",
    "delai-debut",
    "refus-motif",
    "attente-motif",
    "attente-duree",
    "issues-fin",
    "suivis",
    "benevoles-accordes",
    "benevoles-parcours",  # the volunteers' funnel: received, approved, refused
)


@dataclass(frozen=True)
class Section:
    title: str
    heading: str  # the column's name
    lines: list[tuple[str, str]]  # (value, figure)


@dataclass(frozen=True)
class Report:
    territory: str
    month: str
    title: str
    sections: list[Section]


def report_of(observatory: Observatory, territory: str, month: str) -> Report:
    """A territory's figures for a month; 404 if the month or the territory is unknown."""
    year = month[:4]
    sections = []
    for key in SECTIONS:
        indicator = BY_KEY[key]
        table = observatory.table(indicator, year, month)
        if table is None or (month != TOTAL and month[:4] != table.year):
            raise HTTPException(404, "Aucun chiffre pour ce mois")
        lines = [
            (labels.value(indicator.column, c), shown(table, table.cell(territory, c)))
            for c in table.columns
            if territory in table.rows
        ]
        sections.append(Section(labels.TITLES[key], labels.DIMENSIONS[indicator.column], lines))
    name = labels.territory(territory)
    return Report(territory, month, f"{name}, {labels.month(month)}", sections)


def choices(observatory: Observatory) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The territories and months a report can be made for."""
    territories: set[str] = set()
    months: set[str] = set()
    for year in observatory.years():
        table = observatory.table(BY_KEY["demande-besoin"], year)
        if table is not None:
            territories |= {r for r in table.rows if r != TOTAL}
        published = observatory.published(BY_KEY["demande-besoin"], year, None)
        months |= set(published.months() if published else [])
    return (
        [(t, labels.territory(t)) for t in sorted(territories)],
        [(m, labels.month(m)) for m in sorted(months, reverse=True)],
    )


@router.get("/rapport")
async def report_form(
    request: Request,
    principal: Reader,
    observatory: ObservatoryDep,
    pages: PagesDep,
    territoire: str | None = None,
    mois: str | None = None,
) -> Response:
    territories, months = choices(observatory)
    report = None
    if territoire and mois:
        report = report_of(observatory, territoire, mois)
    return pages.page(
        request,
        "rapport.html",
        principal,
        territories=territories,
        months=months,
        report=report,
        chosen=(territoire or "", mois or ""),
        threshold=observatory.protection.threshold,
    )


@router.get("/rapport.pdf")
async def report_as_pdf(
    principal: Reader, observatory: ObservatoryDep, territoire: str, mois: str
) -> Response:
    report = report_of(observatory, territoire, mois)
    note = labels.hidden_note(observatory.protection.threshold, labels.EVERYONE)
    sections = [(s.title, s.heading, s.lines) for s in report.sections]
    body = report_pdf(report.title, note, sections)
    name = f"observatoire-{territoire}-{mois}.pdf"
    return Response(
        body,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
