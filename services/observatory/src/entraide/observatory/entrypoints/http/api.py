"""The observatory's API: every view as CSV, and a refresh on demand."""

from fastapi import APIRouter, Response

from entraide.observatory.domain.protection import TOTAL
from entraide.observatory.entrypoints.http.access import Coordination, Reader
from entraide.observatory.entrypoints.http.deps import ObservatoryDep
from entraide.observatory.entrypoints.http.views import Query, as_csv, table_for

router = APIRouter(prefix="/api", tags=["observatory"])


@router.get("/indicateurs/{key}.csv", summary="One view of an indicator, as CSV")
async def indicator_csv(
    key: str,
    principal: Reader,
    observatory: ObservatoryDep,
    annee: str | None = None,
    mois: str = TOTAL,
    filtre: str = "",
    valeur: str = TOTAL,
) -> Response:
    table = table_for(observatory, Query(key, annee, mois, filtre, valeur))
    body = as_csv(table) if table is not None else ""
    name = f"observatoire-{key}-{table.year if table else 'vide'}.csv"
    return Response(
        body,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.post("/actualiser", summary="Recompute the indicators now")
async def refresh(principal: Coordination, observatory: ObservatoryDep) -> dict[str, object]:
    cubes = await observatory.refresh()
    return {"cubes": cubes, "refreshed_at": observatory.refreshed_at}
