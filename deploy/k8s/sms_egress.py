"""The SMS senders' only way to the Internet: `sms-egress`, a forward proxy (Squid) that
opens a tunnel (CONNECT) to the SMS provider's host on 443 and to nothing else.

A NetworkPolicy cannot name a host, and the provider's addresses move: without the proxy
the senders would need 443 to every public address, and a compromised pod could send
families' data anywhere over HTTPS. The services' ENTRAIDE_SMS_URL and the proxy's
allowlist both come from SMS_API_URL below, so they cannot disagree (generate.py writes
them: base/sms.env, base/sms-egress.conf, base/sms-egress.yaml).
"""

from typing import Any
from urllib.parse import urlsplit

import hardening

# the SMS provider (Brevo's transactional SMS API): change it here, then `make manifests`
SMS_API_URL = "https://api.brevo.com/v3"
NAME = "sms-egress"
PORT = 3128
HTTPS = 443
# Canonical's Squid image (Ubuntu 24.04 LTS); its `proxy` user, uid 13
IMAGE = "docker.io/ubuntu/squid:6.6-24.04_beta"
PROXY_UID = 13
CONF_DIR = "/etc/squid-entraide"
LABELS = {"app.kubernetes.io/name": NAME, "app.kubernetes.io/component": "egress-proxy"}


def provider_host() -> str:
    host = urlsplit(SMS_API_URL).hostname
    if not host or urlsplit(SMS_API_URL).scheme != "https":
        raise ValueError(f"SMS_API_URL must be an https URL: {SMS_API_URL!r}")
    return host


def proxy_url() -> str:
    """What the senders set as ENTRAIDE_SMS_PROXY: the proxy's Service, same namespace."""
    return f"http://{NAME}:{PORT}"


def sms_env() -> str:
    """The `entraide-sms` ConfigMap's variables (an env file for its generator)."""
    return f"ENTRAIDE_SMS_URL={SMS_API_URL}\nENTRAIDE_SMS_PROXY={proxy_url()}\n"


def squid_conf() -> str:
    """CONNECT to the provider's host on 443, nothing else; nothing cached, nothing written
    but the logs on stdout/stderr (read-only root filesystem, any uid)."""
    return f"""\
http_port {PORT}
acl sms_provider dstdomain {provider_host()}
acl https port {HTTPS}
acl CONNECT method CONNECT
http_access allow CONNECT https sms_provider
http_access deny all
# a denial is a TCP_DENIED/403 line of the access log (kubectl logs deploy/{NAME})
access_log stdio:/dev/stdout
cache_log /dev/stderr
logfile_rotate 0
cache deny all
cache_mem 8 MB
pid_filename none
netdb_filename none
coredump_dir /tmp
forwarded_for delete
pinger_enable off
shutdown_lifetime 5 seconds
"""


def resources(senders: list[str], private_ranges: list[str]) -> list[dict[str, Any]]:
    """Its ServiceAccount, Deployment, Service, PodDisruptionBudget and NetworkPolicy:
    in from the SMS senders only, out to public addresses on 443 only (the allowlist is
    the proxy's; DNS is the platform policy's, as for every Entraide pod)."""
    meta = {"name": NAME, "labels": {**LABELS, "app.kubernetes.io/part-of": "entraide"}}
    selector = {"app.kubernetes.io/name": NAME}
    return [
        {
            "apiVersion": "v1",
            "kind": "ServiceAccount",
            "metadata": meta,
            "automountServiceAccountToken": False,
        },
        deployment(meta, selector),
        {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": meta,
            "spec": {
                "selector": selector,
                "ports": [{"name": "proxy", "port": PORT, "targetPort": "proxy"}],
            },
        },
        {
            "apiVersion": "policy/v1",
            "kind": "PodDisruptionBudget",
            "metadata": meta,
            "spec": {"maxUnavailable": 1, "selector": {"matchLabels": selector}},
        },
        {
            "apiVersion": "networking.k8s.io/v1",
            "kind": "NetworkPolicy",
            "metadata": meta,
            "spec": {
                "podSelector": {"matchLabels": selector},
                "policyTypes": ["Ingress", "Egress"],
                "ingress": [
                    {
                        "from": [
                            {"podSelector": {"matchLabels": {"app.kubernetes.io/name": s}}}
                            for s in senders
                        ],
                        "ports": [{"protocol": "TCP", "port": PORT}],
                    }
                ],
                "egress": [
                    {
                        "to": [{"ipBlock": {"cidr": "0.0.0.0/0", "except": private_ranges}}],
                        "ports": [{"protocol": "TCP", "port": HTTPS}],
                    }
                ],
            },
        },
    ]


def deployment(meta: dict[str, Any], selector: dict[str, str]) -> dict[str, Any]:
    probe = {"tcpSocket": {"port": "proxy"}, "timeoutSeconds": 3}
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": meta,
        "spec": {
            "replicas": 2,
            "revisionHistoryLimit": 5,
            "selector": {"matchLabels": selector},
            "template": {
                "metadata": {"labels": meta["labels"]},
                "spec": {
                    "serviceAccountName": NAME,
                    "automountServiceAccountToken": False,
                    "securityContext": hardening.pod(PROXY_UID),
                    "containers": [
                        {
                            "name": "squid",
                            "image": IMAGE,
                            # the image's entrypoint prepares directories as root: not needed
                            "command": ["squid", "-N", "-f", f"{CONF_DIR}/squid.conf"],
                            "ports": [{"name": "proxy", "containerPort": PORT}],
                            "readinessProbe": {**probe, "periodSeconds": 10},
                            "livenessProbe": {**probe, "periodSeconds": 20},
                            "resources": {
                                "requests": {"cpu": "20m", "memory": "64Mi"},
                                "limits": {"memory": "128Mi"},
                            },
                            "securityContext": hardening.CONTAINER,
                            "volumeMounts": [
                                {"name": "conf", "mountPath": CONF_DIR, "readOnly": True},
                                {"name": "tmp", "mountPath": "/tmp"},
                                {"name": "run", "mountPath": "/run"},
                            ],
                        }
                    ],
                    "volumes": [
                        {"name": "conf", "configMap": {"name": NAME}},
                        {"name": "tmp", "emptyDir": {"sizeLimit": "16Mi"}},
                        {"name": "run", "emptyDir": {"sizeLimit": "1Mi"}},
                    ],
                },
            },
        },
    }
