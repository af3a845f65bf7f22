"""A partner or a new consumer installs the wire contracts alone: pydantic and nothing of
the services' runtime (no web framework, no driver, no broker client)."""

import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RUNTIME = {
    "fastapi",
    "starlette",
    "uvicorn",
    "pymongo",
    "faststream",
    "aiokafka",
    "httpx",
    "jinja2",
    "pydantic-settings",
    "entraide-kit",
}
PROBE = """
import importlib, pkgutil, sys
import entraide.contracts as contracts
names = [m.name for m in pkgutil.walk_packages(contracts.__path__, "entraide.contracts.")]
for name in names:
    importlib.import_module(name)
loaded = sorted({m.split(".")[0] for m in sys.modules})
print(len(names), " ".join(loaded))
"""


def test_the_contracts_install_alone_with_pydantic_only(tmp_path) -> None:
    uv = os.environ.get("UV") or shutil.which("uv") or str(Path.home() / ".local/bin/uv")
    venv = tmp_path / "venv"
    env = {**os.environ, "UV_PROJECT_ENVIRONMENT": str(venv), "UV_LINK_MODE": "copy"}
    env.pop("VIRTUAL_ENV", None)
    subprocess.run(
        [uv, "sync", "--frozen", "--no-dev", "-q", "--no-editable", "--package=entraide-contracts"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    listed = subprocess.run(
        [uv, "pip", "list", "--python", str(venv / "bin/python"), "--format=freeze"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    installed = {line.split("==")[0].lower().replace("_", "-") for line in listed.split()}
    assert {"entraide-contracts", "pydantic"} <= installed, installed
    assert not installed & RUNTIME, f"the contracts pull {sorted(installed & RUNTIME)}"

    result = subprocess.run(
        [str(venv / "bin/python"), "-c", PROBE],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,  # not the source tree: the installed package only
    )
    assert result.returncode == 0, result.stderr
    count, loaded = result.stdout.split(maxsplit=1)
    assert int(count) >= 8  # every module of the package imported
    assert not set(loaded.split()) & {"fastapi", "starlette", "pymongo", "faststream"}
