"""One shape for every service, so a newcomer knows where a thing lives (docs/architecture.md):
the same top-level folders, small modules, typed wiring, typed subscribers. lint-imports
holds the layers; this holds what it cannot see."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("intake", "directory", "matching", "privacy", "observatory")
LAYERS = {"domain", "usecases", "adapters", "entrypoints"}
MAX_LINES = 300


def package(service: str) -> Path:
    return ROOT / "services" / service / "src" / "entraide" / service


def modules() -> list[Path]:
    return sorted((ROOT / "services").glob("*/src/entraide/**/*.py"))


@pytest.mark.parametrize("service", SERVICES)
def test_every_service_has_the_same_folders(service: str) -> None:
    top = package(service)
    folders = {p.name for p in top.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert folders == LAYERS, f"{service}: {sorted(folders)}"
    files = {p.name for p in top.glob("*.py")}
    assert files == {"__init__.py", "__main__.py", "app.py", "settings.py"}, sorted(files)
    assert (top / "entrypoints" / "http" / "deps.py").exists()


def test_no_module_is_over_300_lines() -> None:
    long = {
        str(p.relative_to(ROOT)): n
        for p in modules()
        if (n := len(p.read_text().splitlines())) > MAX_LINES
    }
    assert not long, long


@pytest.mark.parametrize("service", SERVICES)
def test_routes_take_their_dependencies_typed(service: str) -> None:
    """Routes and pages ask for what they use (`kit.deps`), never `request.app.state`; the
    service's wiring provides by type too (app.state is the kit's app factory's alone)."""
    uses = [
        f"{p.relative_to(ROOT)}:{i}"
        for p in package(service).rglob("*.py")
        for i, line in enumerate(p.read_text().splitlines(), 1)
        if "app.state" in line
    ]
    assert not uses, uses


def test_the_kit_keeps_app_state_to_its_registry() -> None:
    """The kit's own routes (sign-in, errors) ask the registry too: only `kit.deps` and the
    app factory touch `app.state`."""
    kit = ROOT / "services" / "kit" / "src" / "entraide" / "kit"
    uses = [
        f"{p.relative_to(ROOT)}:{i}"
        for p in kit.rglob("*.py")
        if p.name not in {"deps.py", "service.py"}
        for i, line in enumerate(p.read_text().splitlines(), 1)
        if "app.state" in line
    ]
    assert not uses, uses
    factory = (kit / "service.py").read_text()
    assert "request.app.state" not in factory


def test_subscribers_need_no_type_ignore() -> None:
    """Subscribers go through `kit.consumers`: typed, parsed values, no `type: ignore`."""
    pattern = re.compile(r"subscriber\(.*type:\s*ignore")
    found = [
        f"{p.relative_to(ROOT)}:{i}"
        for p in modules()
        for i, line in enumerate(p.read_text().splitlines(), 1)
        if pattern.search(line)
    ]
    assert not found, found
