"""The two ways out: e-mail through an SMTP server (aiosmtplib) and SMS through the
provider's HTTP API (Brevo's transactional SMS: the contract the local test server checks).

A sender raises `TemporarySendError` when trying again later may work (server down, busy,
a 4xx SMTP answer, a 5xx or 429 HTTP answer) and `PermanentSendError` when it never will
(the address refused, the request rejected as malformed). Neither carries the address or
the text: their messages are logged.
"""

import re
from email.message import EmailMessage
from typing import Protocol

import aiosmtplib
import httpx

from entraide.kit.notifications.templates import Rendered


class TemporarySendError(Exception):
    """Worth trying again later."""


class PermanentSendError(Exception):
    """Never worth trying again."""


class Sender(Protocol):
    async def send(self, to: str, message: Rendered) -> None: ...


class SmtpSender:
    def __init__(
        self,
        *,
        host: str,
        port: int,
        sender: str,
        username: str | None = None,
        password: str | None = None,
        start_tls: bool = False,
        timeout: float = 10.0,
    ) -> None:
        self.host, self.port, self.sender = host, port, sender
        self.username, self.password = username, password
        self.start_tls, self.timeout = start_tls, timeout

    async def send(self, to: str, message: Rendered) -> None:
        mail = EmailMessage()
        mail["From"], mail["To"], mail["Subject"] = self.sender, to, message.subject
        mail.set_content(message.text)
        try:
            await aiosmtplib.send(
                mail,
                hostname=self.host,
                port=self.port,
                username=self.username,
                password=self.password,
                start_tls=self.start_tls,
                timeout=self.timeout,
            )
        except aiosmtplib.SMTPRecipientsRefused as error:
            codes = [e.code for e in error.recipients]
            if all(code >= 500 for code in codes):
                raise PermanentSendError(f"SMTP refused the recipient ({codes})") from None
            raise TemporarySendError(f"SMTP deferred the recipient ({codes})") from None
        except aiosmtplib.SMTPResponseException as error:
            kind = PermanentSendError if error.code >= 500 else TemporarySendError
            raise kind(f"SMTP answered {error.code}") from None
        except (aiosmtplib.SMTPException, OSError) as error:
            raise TemporarySendError(f"SMTP server unreachable ({type(error).__name__})") from None


# E.164 without its plus: what Brevo's `recipient` takes ("33612345678")
E164 = re.compile(r"\+?([1-9]\d{7,14})")


def brevo_recipient(phone: str) -> str:
    """A phone number as Brevo wants it: country code and number, digits only; a French
    national number (06…, 07…) gets +33."""
    digits = re.sub(r"[\s.\-()]", "", phone)
    if re.fullmatch(r"0[1-9]\d{8}", digits):
        digits = "33" + digits[1:]
    elif digits.startswith("00"):
        digits = digits[2:]
    match = E164.fullmatch(digits)
    if not match:
        raise PermanentSendError("not a phone number in international form")
    return match.group(1)


class BrevoSms:
    """Brevo's transactional SMS: `POST {base}/transactionalSMS/send` with the `api-key`
    header and `{sender, recipient, content, type: "transactional"}`; 201 when accepted.
    (`/transactionalSMS/sms`, the former path, is deprecated by Brevo: same body.)
    `proxy`: the forward proxy every call goes through (in Kubernetes the egress proxy,
    the senders' only way out); none: straight to the provider."""

    PATH = "/transactionalSMS/send"

    def __init__(
        self,
        *,
        base_url: str,
        api_key: str,
        sender: str,
        proxy: str | None = None,
        timeout: float = 10.0,
    ) -> None:
        self.url = base_url.rstrip("/") + self.PATH
        self.api_key, self.sender, self.timeout = api_key, sender, timeout
        self.proxy = proxy

    async def send(self, to: str, message: Rendered) -> None:
        body = {
            "sender": self.sender,
            "recipient": brevo_recipient(to),
            "content": message.text,
            "type": "transactional",
            "unicodeEnabled": not message.text.isascii(),
        }
        headers = {"api-key": self.api_key, "accept": "application/json"}
        try:
            async with httpx.AsyncClient(timeout=self.timeout, proxy=self.proxy) as client:
                answer = await client.post(self.url, json=body, headers=headers)
        except httpx.HTTPError as error:
            raise TemporarySendError(f"SMS provider unreachable ({type(error).__name__})") from None
        if answer.status_code in (200, 201, 202):
            return
        if answer.status_code == 429 or answer.status_code >= 500:
            raise TemporarySendError(f"SMS provider answered {answer.status_code}")
        raise PermanentSendError(f"SMS provider refused the request ({answer.status_code})")
