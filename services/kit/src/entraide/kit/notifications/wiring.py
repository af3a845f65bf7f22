"""A service's notifier from its settings: one line in its `app.py`."""

from datetime import timedelta

from prometheus_client import REGISTRY, CollectorRegistry
from pymongo.asynchronous.database import AsyncDatabase

from entraide.kit.notifications import Channel
from entraide.kit.notifications.mongo import Doc, MongoNotifier
from entraide.kit.notifications.quiet import QuietHours, parse_time
from entraide.kit.notifications.seal import Seal
from entraide.kit.notifications.senders import BrevoSms, Sender, SmtpSender
from entraide.kit.settings import NotificationSettings


def notifier_from(
    db: AsyncDatabase[Doc],
    settings: NotificationSettings,
    *,
    registry: CollectorRegistry = REGISTRY,
) -> MongoNotifier:
    """The notifier of a service whose settings class includes NotificationSettings: its
    SMTP and SMS settings come from there, never read from the environment behind the
    service's back, so the configuration reference lists them under the service."""
    s = settings
    senders: dict[Channel, Sender] = {
        Channel.EMAIL: SmtpSender(
            host=s.smtp_host,
            port=s.smtp_port,
            sender=s.smtp_from,
            username=s.smtp_username,
            password=s.smtp_password.get_secret_value() if s.smtp_password else None,
            start_tls=s.smtp_starttls,
        )
    }
    if s.sms_url and s.sms_api_key:
        senders[Channel.SMS] = BrevoSms(
            base_url=s.sms_url,
            api_key=s.sms_api_key.get_secret_value(),
            sender=s.sms_sender,
            proxy=s.sms_proxy,
        )
    return MongoNotifier(
        db,
        senders,
        seal=Seal(s.notify_seal_secret.get_secret_value()),
        quiet=QuietHours(parse_time(s.quiet_start), parse_time(s.quiet_end)),
        attempts=s.notify_attempts,
        backoff=timedelta(seconds=s.notify_backoff_seconds),
        registry=registry,
    )
