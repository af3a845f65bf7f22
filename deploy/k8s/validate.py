"""Build every Kustomize overlay and validate it against the Kubernetes schemas, offline.

    uv run python deploy/k8s/validate.py            # every overlay, and deploy/compose.yaml

kustomize, kubeconform and composecheck come from deploy/bin/deploy-tools (Go module
proxy). The Kubernetes JSON Schemas come from the `kubernetes-validate` package (PyPI, a
dev dependency), rewritten once into the standalone layout kubeconform reads; Strimzi's
KafkaTopic schema and the Prometheus Operator's PodMonitor schema are kept in
deploy/k8s/schemas/ (their CRDs are in no reachable registry).
"""

import importlib.metadata
import json
import os
import subprocess
import sys
from pathlib import Path

import kubernetes_validate

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
OVERLAYS = sorted(p.parent for p in (HERE / "overlays").glob("*/kustomization.yaml"))
KUBERNETES_VERSION = "1.33.0"
CACHE = Path(os.environ.get("ENTRAIDE_CACHE", Path.home() / ".cache" / "entraide"))


def tools() -> Path:
    """The directory holding kustomize, kubeconform and composecheck (built if missing)."""
    out = subprocess.run(
        [str(ROOT / "deploy" / "bin" / "deploy-tools")], check=True, capture_output=True, text=True
    )
    return Path(out.stdout.strip())


def schemas(version: str = KUBERNETES_VERSION) -> Path:
    """kubernetes-validate's schemas for `version`, as files kubeconform can resolve."""
    package = importlib.metadata.version("kubernetes-validate")
    root = CACHE / f"k8s-schemas-{package}"
    target = root / f"v{version}-standalone-strict"
    if (target / "deployment-apps-v1.json").is_file():
        return root
    source = Path(kubernetes_validate.__file__).parent / "kubernetes-json-schema"
    source /= f"v{version}-local-strict"
    partial = target.with_suffix(".tmp")
    partial.mkdir(parents=True, exist_ok=True)
    for path in source.glob("*.json"):
        # their references are absolute ("/api/_definitions.json") under an https $id
        schema = json.loads(
            path.read_text().replace('"/api/_definitions.json#', '"_definitions.json#')
        )
        schema.pop("$id", None)
        schema.setdefault("$schema", "https://json-schema.org/draft/2020-12/schema")
        (partial / path.name).write_text(json.dumps(schema))
    partial.rename(target)
    return root


def build(overlay: Path, bin_dir: Path) -> str:
    return subprocess.run(
        [str(bin_dir / "kustomize"), "build", str(overlay)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def kubeconform(manifests: str, bin_dir: Path) -> subprocess.CompletedProcess[str]:
    """Strict validation (unknown fields fail); a kind without a schema fails too."""
    k8s = schemas()
    return subprocess.run(
        [
            str(bin_dir / "kubeconform"),
            "-strict",
            "-summary",
            "-kubernetes-version",
            KUBERNETES_VERSION,
            "-schema-location",
            f"{k8s}/{{{{ .NormalizedKubernetesVersion }}}}-standalone{{{{ .StrictSuffix }}}}/"
            "{{ .ResourceKind }}{{ .KindSuffix }}.json",
            "-schema-location",
            f"{HERE}/schemas/{{{{ .ResourceKind }}}}{{{{ .KindSuffix }}}}.json",
            "-",
        ],
        input=manifests,
        capture_output=True,
        text=True,
        check=False,
    )


def compose_check(bin_dir: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(bin_dir / "composecheck"), str(ROOT / "deploy" / "compose.yaml")],
        capture_output=True,
        text=True,
        check=False,
    )


def main() -> int:
    bin_dir = tools()
    failed = 0
    for overlay in OVERLAYS:
        result = kubeconform(build(overlay, bin_dir), bin_dir)
        print(f"{overlay.relative_to(ROOT)}: {result.stdout.strip()}")
        failed += result.returncode != 0
    compose = compose_check(bin_dir)
    print(f"deploy/compose.yaml: {'valid' if compose.returncode == 0 else compose.stderr.strip()}")
    failed += compose.returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
