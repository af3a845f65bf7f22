"""The SMS sender's way out: through the configured forward proxy (in Kubernetes the
`sms-egress` proxy, the senders' only route to the Internet), straight to the provider when
none is set. A local socket stands for the proxy or the provider: no network needed."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from prometheus_client import CollectorRegistry
from pymongo import AsyncMongoClient

from entraide.kit.notifications import Channel
from entraide.kit.notifications.senders import BrevoSms, TemporarySendError
from entraide.kit.notifications.templates import Rendered
from entraide.kit.notifications.wiring import notifier_from
from entraide.kit.settings import NotificationSettings

SMS = Rendered(subject="", text="Entraide : votre demande est reçue.")
PROXY_VARIABLES = ("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "https_proxy", "http_proxy")


@asynccontextmanager
async def listener(answer: bytes) -> AsyncIterator[tuple[int, list[str]]]:
    """A local server that records each request's first line and gives `answer`."""
    lines: list[str] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        lines.append(head.split(b"\r\n")[0].decode())
        writer.write(answer)
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    async with server:
        yield server.sockets[0].getsockname()[1], lines


@pytest.fixture(autouse=True)
def no_proxy_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)


async def test_the_sms_goes_through_the_configured_proxy(monkeypatch) -> None:
    """From the settings (ENTRAIDE_SMS_PROXY) to the wire: the sender asks the proxy to
    open a tunnel to the provider's host on 443, and never goes there itself."""
    refused = b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n"
    async with listener(refused) as (port, lines):
        monkeypatch.setenv("ENTRAIDE_SMS_URL", "https://api.brevo.com/v3")
        monkeypatch.setenv("ENTRAIDE_SMS_API_KEY", "test-brevo-key")
        monkeypatch.setenv("ENTRAIDE_SMS_PROXY", f"http://127.0.0.1:{port}")
        db = AsyncMongoClient("mongodb://127.0.0.1:9", connect=False)["unused"]
        notifier = notifier_from(db, NotificationSettings(), registry=CollectorRegistry())
        with pytest.raises(TemporarySendError):  # the proxy refused: try again later
            await notifier.senders[Channel.SMS].send("06 12 34 56 78", SMS)
    assert lines == ["CONNECT api.brevo.com:443 HTTP/1.1"]


async def test_without_a_proxy_the_sms_goes_straight_to_the_provider() -> None:
    accepted = b'HTTP/1.1 201 Created\r\nContent-Length: 16\r\n\r\n{"messageId": 1}'
    async with listener(accepted) as (port, lines):
        sms = BrevoSms(base_url=f"http://127.0.0.1:{port}/v3", api_key="k", sender="Entraide")
        await sms.send("06 12 34 56 78", SMS)
    assert lines == ["POST /v3/transactionalSMS/send HTTP/1.1"]
