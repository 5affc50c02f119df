"""A real SMTP server for tests (aiosmtpd, in-process, on a loopback port), which a test can take down and
bring back up, and the messages it received."""

from __future__ import annotations

import socket
from email import message_from_bytes

from aiosmtpd.controller import Controller

from core.mail import SmtpSettings


class Inbox:
    """What the SMTP server received: (recipients, parsed message)."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content)))
        return "250 Message accepted"

    def to(self, address: str) -> list:
        return [message for recipients, message in self.messages if address in recipients]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Relay:
    """A real SMTP server on a fixed loopback port, which a test can take down and bring back up."""

    def __init__(self):
        self.inbox = Inbox()
        self.port = _free_port()
        self.settings = SmtpSettings("127.0.0.1", self.port, False, "", "", "dhr@northvale.example")
        self._controller = None

    def start(self) -> None:
        self._controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None
