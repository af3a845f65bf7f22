"""The SMS senders reach the Internet only through the `sms-egress` proxy, which tunnels to
the SMS provider's host of their own settings and to nothing else (deploy/k8s/sms_egress.py):
checked on the built overlays."""

from urllib.parse import urlsplit

import pytest

from tests.deploy.test_manifests import allows, environment, validate

PROXY = "sms-egress"
SERVICES = ("directory", "intake", "matching", "privacy", "observatory")
OVERLAYS = pytest.mark.parametrize("overlay", validate.OVERLAYS, ids=lambda p: p.name)


def named(docs: list[dict], kind: str, name: str) -> dict:
    [doc] = [d for d in docs if d["kind"] == kind and d["metadata"]["name"] == name]
    return doc


def squid_conf(docs: list[dict]) -> list[list[str]]:
    """The proxy's configuration as built (its ConfigMap, whatever its hash), by directive."""
    deployment = named(docs, "Deployment", PROXY)
    [volume] = [v for v in deployment["spec"]["template"]["spec"]["volumes"] if "configMap" in v]
    text = named(docs, "ConfigMap", volume["configMap"]["name"])["data"]["squid.conf"]
    return [line.split() for line in text.splitlines() if line and not line.startswith("#")]


def sms_senders(docs: list[dict]) -> list[str]:
    return [s for s in SERVICES if environment(docs, s).get("ENTRAIDE_SMS_URL")]


@OVERLAYS
def test_only_the_proxy_may_reach_addresses_outside_the_cluster_on_443(overlays, overlay) -> None:
    """An ipBlock on 443 (or on every port) would let a pod send families' data to any
    HTTPS server: the proxy alone has one, and it tunnels to the provider only."""
    docs = overlays[overlay.name]
    opened = {}
    for policy in (d for d in docs if d["kind"] == "NetworkPolicy"):
        for rule in policy["spec"].get("egress", []):
            ports = {p.get("port") for p in rule.get("ports", [])}
            if any("ipBlock" in peer for peer in rule.get("to", [])) and (
                not ports or 443 in ports
            ):
                opened[policy["metadata"]["name"]] = policy["spec"]["podSelector"]
    assert opened == {PROXY: {"matchLabels": {"app.kubernetes.io/name": PROXY}}}


@OVERLAYS
def test_the_proxy_tunnels_to_the_sms_providers_host_of_the_settings_only(
    overlays, overlay
) -> None:
    docs = overlays[overlay.name]
    hosts = {urlsplit(environment(docs, s)["ENTRAIDE_SMS_URL"]).hostname for s in sms_senders(docs)}
    assert len(hosts) == 1  # one provider, whatever it is
    conf = squid_conf(docs)
    acls = [words[1:] for words in conf if words[0] == "acl"]
    assert acls == [
        ["sms_provider", "dstdomain", *sorted(hosts)],
        ["https", "port", "443"],
        ["CONNECT", "method", "CONNECT"],
    ]
    # the first matching rule decides: a tunnel to the provider on 443, else refused
    access = [words[1:] for words in conf if words[0] == "http_access"]
    assert access == [["allow", "CONNECT", "https", "sms_provider"], ["deny", "all"]]
    assert not [w for w in conf if w[0] in ("cache_peer", "never_direct", "always_direct")]


@OVERLAYS
def test_each_sms_sender_goes_through_the_proxy_and_only_they_may(overlays, overlay) -> None:
    docs = overlays[overlay.name]
    senders = sms_senders(docs)
    assert senders == ["directory", "intake", "privacy"]
    service = named(docs, "Service", PROXY)["spec"]
    [port] = [p["port"] for p in service["ports"]]
    [listen] = [w[1] for w in squid_conf(docs) if w[0] == "http_port"]
    assert listen == str(port)
    proxy_policy = named(docs, "NetworkPolicy", PROXY)["spec"]
    for sender in senders:
        proxy = urlsplit(environment(docs, sender)["ENTRAIDE_SMS_PROXY"])
        assert (proxy.scheme, proxy.hostname, proxy.port) == ("http", PROXY, port), sender
        egress = named(docs, "NetworkPolicy", sender)["spec"]["egress"]
        assert any(allows(rule, "to", PROXY, port) for rule in egress), sender
        assert any(allows(rule, "from", sender, port) for rule in proxy_policy["ingress"])
    others = [s for s in SERVICES if s not in senders]
    for other in others:
        assert not any(allows(rule, "from", other, port) for rule in proxy_policy["ingress"])
    assert len(proxy_policy["ingress"]) == 1
    assert proxy_policy["ingress"][0]["from"] == [
        {"podSelector": {"matchLabels": {"app.kubernetes.io/name": s}}} for s in senders
    ]


@OVERLAYS
def test_the_proxy_runs_pinned_unprivileged_and_bounded(overlays, overlay) -> None:
    pod = named(overlays[overlay.name], "Deployment", PROXY)["spec"]["template"]["spec"]
    [container] = pod["containers"]
    image, _, tag = container["image"].rpartition(":")
    assert image
    assert tag not in ("", "latest")
    assert pod["securityContext"]["runAsNonRoot"]
    assert pod["securityContext"]["runAsUser"] > 0
    assert container["securityContext"]["readOnlyRootFilesystem"]
    assert container["securityContext"]["capabilities"] == {"drop": ["ALL"]}
    assert container["resources"]["requests"]["cpu"]
    assert container["resources"]["limits"]["memory"]
