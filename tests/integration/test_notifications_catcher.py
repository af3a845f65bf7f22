"""`make up`'s mail catcher: deploy/bin/mail-up starts MailDev on loopback ports, the
kit's notifier (built from its settings, as a service builds it) sends to it, the web
inbox's API shows the mail, deploy/bin/mail-down stops it."""

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from prometheus_client import CollectorRegistry

from entraide.kit.notifications import Channel, Notification
from entraide.kit.notifications.wiring import notifier_from
from entraide.kit.settings import NotificationSettings
from tests.infra import free_port, port_open

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def catcher(tmp_path) -> Iterator[tuple[int, int]]:
    """deploy/bin/mail-up on free ports, then deploy/bin/mail-down (checked: ports free)."""
    smtp, web = free_port(), free_port()
    env = os.environ | {
        "ENTRAIDE_STATE_DIR": str(tmp_path),
        "ENTRAIDE_SMTP_PORT": str(smtp),
        "ENTRAIDE_MAIL_WEB_PORT": str(web),
    }
    subprocess.run([ROOT / "deploy/bin/mail-up"], env=env, check=True, timeout=300)
    try:
        yield smtp, web
    finally:
        subprocess.run([ROOT / "deploy/bin/mail-down"], env=env, check=True, timeout=60)
    assert not port_open("127.0.0.1", smtp)
    assert not port_open("127.0.0.1", web)


async def test_make_ups_catcher_receives_the_notifiers_mail_and_shows_it(
    mongo, unique, catcher: tuple[int, int]
) -> None:
    smtp, web = catcher
    settings = NotificationSettings(smtp_port=smtp)
    notifier = notifier_from(
        mongo[f"test_catcher_{unique}"], settings, registry=CollectorRegistry()
    )
    await notifier.notify(
        Notification(
            key=f"{unique}:code",
            template="code-contact",
            channel=Channel.EMAIL,
            to="parent@example.org",
            recipient_ref="ref-1",
            context={"code": "491 207", "expires_at": "2026-12-01T10:15:00+00:00"},
        )
    )
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{web}") as client:
        mails = (await client.get("/email")).json()
        inbox = await client.get("/")
    [mail] = mails
    assert mail["subject"] == "Votre code : 491 207"
    assert mail["to"] == [{"address": "parent@example.org", "name": ""}]
    assert "11\u00a0h\u00a015 (heure de Paris)" in mail["text"]
    assert inbox.status_code == 200
    assert "MailDev" in inbox.text  # the web inbox itself
