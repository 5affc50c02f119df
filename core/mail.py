"""Sending email through the council's SMTP relay, configured from the environment only (never stored
in the database): DHR_SMTP_HOST, DHR_SMTP_PORT (default 587), DHR_SMTP_STARTTLS (default on),
DHR_SMTP_USER and DHR_SMTP_PASSWORD (both or neither), DHR_MAIL_FROM; and optionally
DHR_MAIL_REPLY_TO (default: the coordinators' addresses), DHR_APP_URL (the app's address, linked
from every message) and DHR_MAIL_EXPIRE_DAYS (how long a message the relay has not taken is kept,
default 3).

Every message carries Date and Message-ID headers, and no header can carry a line break."""

from __future__ import annotations

import os
import smtplib
import socket
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from urllib.parse import urlsplit

from email_validator import EmailNotValidError, validate_email

from core.errors import ValidationError

TIMEOUT_SECONDS = 30
EXPIRE_DAYS = 3


def one_line(text: str) -> str:
    """Text for a header: every run of white space, line breaks included, one space."""
    return " ".join(text.split())


def checked_address(value: str, field: str) -> str:
    """An email address in its normal form, or a message saying what is wrong with it (syntax only:
    the app may have no route to the internet to look the domain up)."""
    try:
        return validate_email(value.strip(), check_deliverability=False).normalized
    except EmailNotValidError as error:
        raise ValidationError(f"{field}: {value.strip()!r} is not an email address ({error})") from None


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    starttls: bool
    user: str
    password: str
    sender: str
    reply_to: str = ""  # empty: the coordinators' addresses
    app_url: str = ""  # empty: messages carry no link to the app
    expire_days: int = EXPIRE_DAYS

    @classmethod
    def from_env(cls) -> SmtpSettings | None:
        """The relay the environment names, or None when DHR_SMTP_HOST is not set (email is off)."""
        host = os.environ.get("DHR_SMTP_HOST", "").strip()
        if not host:
            return None
        problems = []
        port = os.environ.get("DHR_SMTP_PORT", "587").strip()
        if not port.isdigit():
            problems.append(f"DHR_SMTP_PORT: {port!r} is not a port number")
        user, password = os.environ.get("DHR_SMTP_USER", ""), os.environ.get("DHR_SMTP_PASSWORD", "")
        if bool(user) != bool(password):
            problems.append("DHR_SMTP_USER and DHR_SMTP_PASSWORD: give both, or neither for a relay without sign-in")
        sender = os.environ.get("DHR_MAIL_FROM", "")
        try:
            sender = checked_address(sender, "DHR_MAIL_FROM")
        except ValidationError as error:
            problems += error.problems
        reply_to = os.environ.get("DHR_MAIL_REPLY_TO", "").strip()
        if reply_to:
            try:
                reply_to = checked_address(reply_to, "DHR_MAIL_REPLY_TO")
            except ValidationError as error:
                problems += error.problems
        app_url = os.environ.get("DHR_APP_URL", "").strip()
        if app_url and (urlsplit(app_url).scheme not in ("http", "https") or not urlsplit(app_url).netloc):
            problems.append(f"DHR_APP_URL: {app_url!r} is not a web address (https://dhr.council.gov.uk)")
        expire = os.environ.get("DHR_MAIL_EXPIRE_DAYS", str(EXPIRE_DAYS)).strip()
        if not expire.isdigit() or int(expire) < 1:
            problems.append(f"DHR_MAIL_EXPIRE_DAYS: {expire!r} is not a number of days (1 or more)")
        if problems:
            raise ValidationError(problems)
        starttls = os.environ.get("DHR_SMTP_STARTTLS", "1").strip().lower() not in ("0", "false", "no", "off")
        return cls(host, int(port), starttls, user, password, sender, reply_to, app_url, int(expire))

    def describe(self) -> str:
        """The relay in words, for the Administration page (never the password)."""
        security = "STARTTLS" if self.starttls else "no encryption"
        account = f"signed in as {self.user}" if self.user else "no sign-in"
        return f"{self.host}:{self.port}, {security}, {account}, from {self.sender}"


class MailError(Exception):
    """Why a message could not be handed to the relay, in words a coordinator can act on."""


class Mailer:
    """One connection to the relay for a batch of messages: ``with Mailer(settings) as mailer:``."""

    def __init__(self, settings: SmtpSettings):
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> Mailer:
        try:
            self._smtp = smtplib.SMTP(self.settings.host, self.settings.port, timeout=TIMEOUT_SECONDS)
            if self.settings.starttls:
                self._smtp.starttls(context=ssl.create_default_context())
            if self.settings.user:
                self._smtp.login(self.settings.user, self.settings.password)
        except smtplib.SMTPAuthenticationError:
            raise MailError("the relay refused the user name or password (DHR_SMTP_USER, DHR_SMTP_PASSWORD)") from None
        except smtplib.SMTPNotSupportedError:
            raise MailError("the relay offers no STARTTLS (set DHR_SMTP_STARTTLS=0 if it is not meant to)") from None
        except (OSError, smtplib.SMTPException) as error:
            where = f"{self.settings.host}:{self.settings.port}"
            raise MailError(f"could not reach the relay {where} ({_why(error)})") from None
        return self

    def send(self, recipient: str, subject: str, body: str, *, reply_to: str = "") -> None:
        """One message, with Date, Message-ID and (when given) Reply-To headers, a one-line subject, and a
        link to the app at its end when DHR_APP_URL is set."""
        settings = self.settings
        link = f"\n\nOpen the DHR Learning Repository: {settings.app_url}" if settings.app_url else ""
        message = EmailMessage()
        try:
            message["From"], message["To"], message["Subject"] = settings.sender, recipient, one_line(subject)
            message["Date"] = formatdate(localtime=True)
            message["Message-ID"] = make_msgid(domain=settings.sender.rpartition("@")[2])
            if settings.reply_to or reply_to:
                message["Reply-To"] = one_line(settings.reply_to or reply_to)
            message.set_content(body + link)
        except (ValueError, UnicodeError) as error:
            raise MailError(f"the message could not be written ({error})") from None
        try:
            self._smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused:
            raise MailError(f"the relay refused the address {recipient}") from None
        except (OSError, smtplib.SMTPException) as error:
            raise MailError(f"the relay did not take the message ({_why(error)})") from None

    def __exit__(self, *exc) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (OSError, smtplib.SMTPException):
                self._smtp.close()


def _why(error: Exception) -> str:
    if isinstance(error, socket.timeout | TimeoutError):
        return "no answer within 30 seconds"
    if isinstance(error, ConnectionRefusedError):
        return "connection refused: is the relay running, and is the port right?"
    if isinstance(error, socket.gaierror):
        return "the host name is not known"
    if isinstance(error, smtplib.SMTPResponseException):
        return f"it answered {error.smtp_code}"
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return "it closed the connection"
    return type(error).__name__
