"""The five services at once, each knowing the others' public addresses, for the tests of
what crosses them in a browser's eyes: a refusal's way home, the network's menu."""

import contextlib
import shutil
import tempfile
from collections.abc import AsyncIterator, Mapping
from pathlib import Path
from typing import Any

import httpx

from entraide.directory.app import create_app as directory_app
from entraide.intake.app import create_app as intake_app
from entraide.matching.app import create_app as matching_app
from entraide.observatory.app import create_app as observatory_app
from entraide.observatory.settings import ObservatorySettings
from entraide.privacy.app import create_app as privacy_app
from tests.access_support import settings_of
from tests.infra import settings_on
from tests.support import serving

MAKERS = {
    "intake": intake_app,
    "matching": matching_app,
    "directory": directory_app,
    "privacy": privacy_app,
    "observatory": observatory_app,
}


@contextlib.asynccontextmanager
async def five_services(
    urls: Mapping[str, str], infra: Any, unique: str, dev_issuer: Any, **given: Any
) -> AsyncIterator[dict[str, httpx.AsyncClient]]:
    """Each service served in-process, told the others' addresses (ENTRAIDE_<SERVICE>_URL:
    `urls`); `given`: the fixtures' intake, matching and privacy settings."""
    data_dir = Path(tempfile.mkdtemp(prefix=f"observatory-{unique}-"))
    observatory = settings_on(
        ObservatorySettings, infra, f"test_observatory_{unique}", data_dir=data_dir
    )
    settings = {"observatory": dev_issuer.settings_for(observatory)}
    for name in MAKERS.keys() - settings.keys():
        settings[name] = settings_of(name, infra, unique, dev_issuer, **given)
    addresses = {f"{name}_url": url for name, url in urls.items()}
    async with contextlib.AsyncExitStack() as stack:
        stack.callback(shutil.rmtree, data_dir, True)
        yield {
            name: await stack.enter_async_context(
                serving(make(settings[name].model_copy(update=addresses)))
            )
            for name, make in MAKERS.items()
        }
