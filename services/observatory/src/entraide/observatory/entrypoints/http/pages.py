"""The observatory's pages (French): the indicators, theme by theme, each chart beside its
table, with filters and a CSV export. Thin: parse, ask the use case, render."""

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request, Response

from entraide.observatory.domain.indicators import BY_KEY, INDICATORS, Theme
from entraide.observatory.domain.protection import TOTAL
from entraide.observatory.entrypoints.http import charts, labels
from entraide.observatory.entrypoints.http.access import Reader
from entraide.observatory.entrypoints.http.deps import ObservatoryDep, PagesDep
from entraide.observatory.entrypoints.http.views import Query, header, rows, table_for, wide
from entraide.observatory.usecases.publish import Observatory
from entraide.observatory.usecases.tables import Table

router = APIRouter(include_in_schema=False)


@router.get("/")
async def home(
    request: Request, principal: Reader, observatory: ObservatoryDep, pages: PagesDep
) -> Response:
    themes = [(labels.THEMES[t], [i for i in INDICATORS if i.theme is t]) for t in Theme]
    return pages.page(
        request,
        "accueil.html",
        principal,
        themes=themes,
        years=observatory.years(),
        refreshed_at=observatory.refreshed_at,
        threshold=observatory.protection.threshold,
    )


@router.get("/indicateurs/{key}")
async def indicator(
    request: Request,
    key: str,
    principal: Reader,
    observatory: ObservatoryDep,
    pages: PagesDep,
    annee: str | None = None,
    mois: str = TOTAL,
    filtre: str = "",
    valeur: str = TOTAL,
) -> Response:
    query = Query(key, annee, mois, filtre, valeur)
    table = table_for(observatory, query)
    context: dict[str, Any] = {"indicator": BY_KEY[key], "table": table, "query": query}
    context["threshold"] = observatory.protection.threshold
    if table is not None:
        published = observatory.published(table.indicator, table.year, table.by)
        params = {
            "annee": table.year,
            "mois": table.month,
            "filtre": query.by,
            "valeur": table.value,
        }
        drawn = charts.drawn(table)  # every figure hidden: the table alone, no empty axis
        context |= {
            "header": header(table),
            "rows": rows(table),
            "wide": wide([header(table), *rows(table)]),
            "chart": drawn and charts.data_uri(table, observatory.refreshed_at),
            "phone_chart": drawn
            and charts.data_uri(table, observatory.refreshed_at, charts.NARROW),
            "chart_text": charts.description(table),
            "months": published.months() if published else [],
            "csv": f"/api/indicateurs/{key}.csv?{urlencode(params)}",
            "filter_values": _filter_values(observatory, table),
        }
    return pages.page(request, "indicateur.html", principal, **context)


def _filter_values(observatory: Observatory, table: Table) -> dict[str, list[tuple[str, str]]]:
    """For each filter of the indicator, its values as (code, words)."""
    found: dict[str, list[tuple[str, str]]] = {}
    for by in table.indicator.filters:
        published = observatory.published(table.indicator, table.year, by)
        codes = published.filter_values() if published else []
        found[by.value] = [(c, labels.value(by, c)) for c in codes]
    return found
