"""The observatory's wiring: settings → adapters (its store, the Parquet archive) → use
cases (recording, publishing) → consumers, routes, pages and the scheduled refresh.

Why a service of its own (not inside matching, which reads the same topics): it holds
anonymous facts only, outside the erasure scope, for its own read-only audience (the
network's coordination and public actors or funders, every territory, no family data);
its load (a year of facts scanned at each refresh) and its exposure (pages a funder may
open) are scaled and opened apart from the services that hold families' data.
"""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial

from fastapi import FastAPI
from fastapi.templating import Jinja2Templates

from entraide.contracts import labels as shared
from entraide.kit.auth import install_auth
from entraide.kit.deps import provide
from entraide.kit.pages import Pages
from entraide.kit.rights import ReferencedDocuments, register_rights
from entraide.kit.service import Lifespan, runtime, service_app
from entraide.kit.web import templates_for
from entraide.observatory.adapters.archive import ParquetArchive
from entraide.observatory.adapters.store import (
    MongoApplicants,
    MongoCountedCases,
    MongoEpisodes,
    MongoParked,
    MongoPendingFacts,
    MongoSuppliers,
)
from entraide.observatory.entrypoints.consumers import events
from entraide.observatory.entrypoints.http import access, labels, pages, report
from entraide.observatory.entrypoints.http.api import router as api_router
from entraide.observatory.entrypoints.scheduled import every
from entraide.observatory.settings import ObservatorySettings
from entraide.observatory.usecases.publish import Observatory, Protection
from entraide.observatory.usecases.record import Recorder

SERVICE = "observatory"
PARKED_FOR = timedelta(days=90)  # the topics' retention: an older request never comes
NAV = [("/", "Indicateurs"), ("/rapport", "Rapport mensuel")]
# where the observatory names a person (`adapters.store`): open episodes and the events
# parked before their request, by family; offers' and volunteers' states and open
# applications, by volunteer
REFS = {
    "episodes": ("family_ref",),
    "parked": ("family_ref",),
    "suppliers": ("volunteer_ref",),
    "applicants": ("volunteer_ref",),
}


def page_templates() -> Jinja2Templates:
    """The observatory's templates, its menu, and who may read it (its refusal page)."""
    templates = templates_for("entraide.observatory", nav=NAV)
    templates.env.globals["may_read"] = access.may_read  # interdit.html: a way out, no menu
    return templates


def utcnow() -> datetime:
    return datetime.now(UTC)


def create_app(
    settings: ObservatorySettings | None = None, *, clock: Callable[[], datetime] = utcnow
) -> FastAPI:
    settings = settings or ObservatorySettings()
    rt = runtime(SERVICE, settings)
    episodes, suppliers = MongoEpisodes(rt.db), MongoSuppliers(rt.db)
    pending, parked = MongoPendingFacts(rt.db), MongoParked(rt.db)
    applicants = MongoApplicants(rt.db)
    recorder = Recorder(episodes, suppliers, pending, MongoCountedCases(rt.db), parked, applicants)
    protection = Protection(settings.min_families, settings.territory_minimum)
    observatory = Observatory(ParquetArchive(settings.data_dir), pending, protection, clock)
    events.register(
        rt.broker,
        recorder,
        settings=settings,
        service=SERVICE,
        max_records=settings.batch_max_records,
    )
    # erasure reaches the open episodes, volunteers' states and applications (by reference),
    # never the anonymous facts; the counted cases and pending facts name no one
    rights = ReferencedDocuments(rt.db, refs=REFS, keep=("pending_facts", "counted_cases"))
    register_rights(rt.broker, rights, settings=settings, service=SERVICE)

    async def refresh() -> None:
        """Count every known offer and volunteer in the new month (and open applications at
        the months' ends passed), forget events parked
        too long, and recompute the indicators."""
        await recorder.roll_over(clock())
        await parked.prune(clock() - PARKED_FOR)
        await observatory.refresh()

    loops: list[Lifespan] = []
    if settings.refresh_interval_seconds:
        loops.append(partial(every, settings.refresh_interval_seconds, refresh, "refresh"))
    app = service_app(
        rt,
        routers=[api_router, pages.router, report.router],
        startup=[
            episodes.ensure_indexes,
            suppliers.ensure_indexes,
            parked.ensure_indexes,
            applicants.ensure_indexes,
            rights.ensure_indexes,  # last: the adapters' own indexes come first
        ],
        lifespans=loops,
    )
    templates = page_templates()
    install_auth(app, settings, templates, home_admits=access.READERS)
    common = {"labels": labels, "shared": shared}
    provide(app, observatory, recorder, protection, rights)
    provide(app, Pages(templates, common=lambda request: common))
    return app
