"""Where the services' e-mail goes, as the operators read it: every service that sends
declares the notifier's settings in its settings class, so the configuration reference
lists them under it; in the compose deployment each sends to a mail catcher that is a
compose service, not to its default 127.0.0.1 (in a container, the container itself)."""

import re
import sys
from pathlib import Path

import yaml

from entraide.kit.settings import NotificationSettings

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "deploy"))
import config_reference  # noqa: E402

MAIL = tuple(
    config_reference.env_name(name, field)
    for name, field in NotificationSettings.model_fields.items()
)


def senders() -> set[str]:
    """The services whose code builds the kit's notifier (e-mail, SMS)."""
    return {
        service
        for service in config_reference.SERVICES
        if any(
            "notifier_from(" in path.read_text()
            for path in (ROOT / "services" / service / "src").rglob("*.py")
        )
    }


def reference_sections() -> dict[str, str]:
    """docs/configuration.md, each service's section by its name."""
    text = (ROOT / "docs" / "configuration.md").read_text()
    parts = re.split(r"^## (\w+) \(", text, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def test_the_services_that_send_are_the_four_that_hold_contacts() -> None:
    assert senders() == {"intake", "directory", "matching", "privacy"}


def test_every_sender_declares_the_notifiers_settings_in_its_settings_class() -> None:
    for service in senders():
        assert issubclass(config_reference.settings_class(service), NotificationSettings), service


def test_the_configuration_reference_lists_the_mail_settings_under_every_sender() -> None:
    sections = reference_sections()
    for service in senders():
        missing = [name for name in MAIL if f"| `{name}` |" not in sections[service]]
        assert not missing, f"docs/configuration.md, {service}: {missing}"
    assert "ENTRAIDE_SMTP_HOST" not in sections["observatory"]  # it sends nothing


def test_every_row_of_the_configuration_reference_has_its_four_cells() -> None:
    """A type such as `str | None` is one cell, not two."""
    text = (ROOT / "docs" / "configuration.md").read_text()
    rows = [line for line in text.splitlines() if line.startswith("| `")]
    assert len(rows) > 100
    wrong = [r for r in rows if len(re.split(r"(?<!\\)\|", r)) != 6]
    assert not wrong, wrong[:3]
    assert "| `ENTRAIDE_SMTP_PASSWORD` | SecretStr \\| None | unset |" in text


def test_every_compose_service_that_sends_e_mail_reaches_the_compose_mail_catcher() -> None:
    """Its SMTP host is a compose service it waits for: Mailpit on 1025, its inbox
    published on the host's 127.0.0.1:8025 (where deploy/RUNBOOK.md says to read it)."""
    compose = yaml.safe_load((ROOT / "deploy" / "compose.yaml").read_text())["services"]
    reading = [
        s
        for s in config_reference.SERVICES
        if "smtp_host" in config_reference.settings_class(s).model_fields
    ]
    assert sorted(reading) == sorted(senders())
    for service in reading:
        env = compose[service]["environment"]
        host = env.get("ENTRAIDE_SMTP_HOST", "127.0.0.1 (its default: the container itself)")
        assert host in compose, f"compose {service}: ENTRAIDE_SMTP_HOST={host}"
        assert compose[service]["depends_on"][host] == {"condition": "service_healthy"}
        assert compose[host]["image"].startswith("axllent/mailpit:")
        assert int(env.get("ENTRAIDE_SMTP_PORT", 1025)) == 1025  # Mailpit's SMTP port
    assert "127.0.0.1:8025:8025" in compose["mailpit"]["ports"]
    assert "http://127.0.0.1:8025/" in (ROOT / "deploy" / "RUNBOOK.md").read_text()
