"""A real SMTP server for tests (aiosmtpd, on a free loopback port, in its own thread) that
keeps the messages it received; `refuse_next` answers 451 (try again later) that many
times, as a server in trouble would."""

import contextlib
import email
import email.policy
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller

from tests.infra import free_port


@dataclass
class Mailbox:
    messages: list[EmailMessage] = field(default_factory=list)
    refuse_next: int = 0
    port: int = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        if self.refuse_next > 0:
            self.refuse_next -= 1
            return "451 4.3.0 Try again later"
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append(message)  # type: ignore[arg-type]
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]


@contextlib.contextmanager
def running_smtp_server(port: int | None = None) -> Iterator[Mailbox]:
    box = Mailbox(port=port or free_port())
    controller = Controller(box, hostname="127.0.0.1", port=box.port)
    controller.start()
    try:
        yield box
    finally:
        controller.stop()
