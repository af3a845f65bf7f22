"""The built Kustomize overlays, shared by the deployment tests (built once a session)."""

import sys
from pathlib import Path

import pytest
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "deploy" / "k8s"))
import validate


@pytest.fixture(scope="session")
def bin_dir() -> Path:
    return validate.tools()


@pytest.fixture(scope="session")
def overlays(bin_dir) -> dict[str, list[dict]]:
    return {
        overlay.name: [d for d in yaml.safe_load_all(validate.build(overlay, bin_dir)) if d]
        for overlay in validate.OVERLAYS
    }
