"""Privacy's commands reach directory's, matching's and the observatory's subjects by the
collections each declares, on indexes: after each service's start every declared field
leads an index of its collection (matching's matches and waitlist, directory's addresses,
links and wishes to leave had none: each command scanned them whole). And the check every
integration test runs as these apps stop (`tests/rights_support.py`) catches a reference
field written where the handler never looks."""

from pathlib import Path

import pytest

from entraide.directory.app import create_app as directory_app
from entraide.matching.app import create_app as matching_app
from entraide.observatory.app import create_app as observatory_app
from entraide.observatory.settings import ObservatorySettings
from tests.infra import settings_on
from tests.integration.test_directory_offers import directory_settings  # noqa: F401
from tests.rights_support import assert_rights_declared, rights_of
from tests.support import serving

pytestmark = [pytest.mark.store]


async def _indexed_fields(app) -> dict[str, set[str]]:
    """Per declared collection, the fields leading one of its indexes, after the start."""
    rights = rights_of(app)
    assert rights is not None
    async with serving(app, ready=False):
        return {
            name: {next(iter(i["key"])) async for i in await rights.db[name].list_indexes()}
            for name in rights.refs
        }


def _wanted(app) -> dict[str, set[str]]:
    rights = rights_of(app)
    assert rights is not None
    return {name: set(fields) for name, fields in rights.refs.items()}


async def test_each_service_indexes_the_fields_it_declares_at_start(
    matching_settings,
    directory_settings,  # noqa: F811
    infra,
    unique,
    tmp_path: Path,
) -> None:
    observatory = settings_on(
        ObservatorySettings,
        infra,
        f"test_observatory_{unique}",
        data_dir=tmp_path,
        refresh_interval_seconds=0,
    )
    apps = [
        matching_app(matching_settings),
        directory_app(directory_settings),
        observatory_app(observatory),
    ]
    for app in apps:
        indexed, wanted = await _indexed_fields(app), _wanted(app)
        assert wanted  # each declares where it names someone
        print(app.title, {n: wanted[n] - indexed[n] for n in wanted if wanted[n] - indexed[n]})
    matching = _wanted(apps[0])
    assert {"matches", "waitlist", "requests", "followups", "contacts"} <= set(matching)


async def test_a_reference_written_where_the_handler_never_looks_fails_the_check(
    matching_settings,
) -> None:
    app = matching_app(matching_settings)
    async with serving(app, ready=False):
        await assert_rights_declared(app)  # what the start wrote is declared
        rights = rights_of(app)
        assert rights is not None
        await rights.db["shadow_copies"].insert_one({"_id": "s-1", "family_ref": "fam-1"})
        with pytest.raises(AssertionError, match="shadow_copies"):
            await assert_rights_declared(app)
        await rights.db["shadow_copies"].drop()  # the stop's own check passes
