"""The key vault client's cache, against a stand-in vault (httpx's MockTransport): a key
read again within its time costs no call; past it, or pushed out by newer keys, it is
asked again; the cache never holds more than its bound (a partner's door creates a key per
new family: unbounded, it grew for the process's whole life)."""

import asyncio
import base64
import json

import httpx

from entraide.kit import keyvault_client
from entraide.kit.keyvault_client import KeyVaultClient


class Vault:
    """Answers the batch creation and the reads; counts the reads."""

    def __init__(self) -> None:
        self.reads: list[str] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            asked = json.loads(request.content)["keys"]
            keys = {k["key_id"]: self.key(k["key_id"]) for k in asked}
            return httpx.Response(200, json={"keys": keys, "destroyed": []})
        key_id = request.url.path.rsplit("/", 1)[1]
        self.reads.append(key_id)
        return httpx.Response(200, json={"key": self.key(key_id)})

    @staticmethod
    def key(key_id: str) -> str:
        return base64.b64encode(key_id.encode().ljust(32, b"k")[:32]).decode()


def client_of(vault: Vault, cache_seconds: float) -> KeyVaultClient:
    return KeyVaultClient(
        "http://vault",
        service="intake",
        secret="s" * 32,
        cache_seconds=cache_seconds,
        transport=httpx.MockTransport(vault),
    )


async def test_a_key_is_read_from_the_cache_until_its_time_is_up() -> None:
    vault = Vault()
    client = client_of(vault, cache_seconds=0.2)
    keys, _ = await client.create_many({"family-1": "ref-1"}, subject_kind="family")
    assert await client.fetch("family-1") == keys["family-1"]
    assert vault.reads == []  # from the cache
    await asyncio.sleep(0.25)
    assert await client.fetch("family-1") == keys["family-1"]
    assert vault.reads == ["family-1"]  # its time was up: asked again


async def test_the_cache_holds_at_most_its_bound(monkeypatch) -> None:
    monkeypatch.setattr(keyvault_client, "CACHE_MAX", 10)
    vault = Vault()
    client = client_of(vault, cache_seconds=3600)
    subjects = {f"family-{i}": f"ref-{i}" for i in range(30)}
    await client.create_many(subjects, subject_kind="family")
    assert len(client._cache) == 10
    await client.fetch("family-29")  # among the newest: kept
    await client.fetch("family-0")  # pushed out: asked again
    assert vault.reads == ["family-0"]
