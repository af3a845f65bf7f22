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
    senders: dict[Channel, Sender] = {
        Channel.EMAIL: SmtpSender(
            host=settings.smtp_host,
            port=settings.smtp_port,
            sender=settings.smtp_from,
            username=settings.smtp_username,
            password=settings.smtp_password.get_secret_value() if settings.smtp_password else None,
            start_tls=settings.smtp_starttls,
        )
    }
    if settings.sms_url and settings.sms_api_key:
        senders[Channel.SMS] = BrevoSms(
            base_url=settings.sms_url,
            api_key=settings.sms_api_key.get_secret_value(),
            sender=settings.sms_sender,
            proxy=settings.sms_proxy,
        )
    return MongoNotifier(
        db,
        senders,
        seal=Seal(settings.notify_seal_secret.get_secret_value()),
        quiet=QuietHours(parse_time(settings.quiet_start), parse_time(settings.quiet_end)),
        attempts=settings.notify_attempts,
        backoff=timedelta(seconds=settings.notify_backoff_seconds),
        registry=registry,
    )
