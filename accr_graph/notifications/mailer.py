"""Sending e-mail over SMTP: ``smtp://`` (STARTTLS when the server offers it) or ``smtps://``
(TLS from the first byte), with credentials in the URL."""

from __future__ import annotations

from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.utils import formatdate, parseaddr
from urllib.parse import unquote, urlsplit

import aiosmtplib

from accr_graph.notifications.render import Email

_WIRE = policy.SMTP.clone(max_line_length=998)


def _address(header: str) -> str:
    return parseaddr(header)[1]


class MailConfigError(ValueError):
    """ACCR_SMTP_URL is not a usable SMTP URL."""


@dataclass(frozen=True, slots=True)
class SmtpServer:
    host: str
    port: int
    tls: bool  # smtps: TLS from the start; smtp: STARTTLS if offered
    username: str | None
    password: str | None

    @classmethod
    def parse(cls, url: str) -> SmtpServer:
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise MailConfigError("ACCR_SMTP_URL must look like smtp://user:pass@host:587")
        tls = parts.scheme == "smtps"
        return cls(
            host=parts.hostname,
            port=parts.port or (465 if tls else 587),
            tls=tls,
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
        )


@dataclass(frozen=True, slots=True)
class Envelope:
    to: str
    message_id: str  # stable per delivery: a resent message can be recognised as the same
    language: str
    unsubscribe_url: str | None  # RFC 8058 one-click; None for messages one cannot stop


def build(sender: str, envelope: Envelope, mail: Email) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = envelope.to
    message["Subject"] = mail.subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = envelope.message_id
    message["Auto-Submitted"] = "auto-generated"
    if envelope.unsubscribe_url:
        message["List-Unsubscribe"] = f"<{envelope.unsubscribe_url}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(mail.text)
    message.add_alternative(mail.html, subtype="html")
    message["Content-Language"] = envelope.language  # after the body: set_content clears it
    return message


async def send(server: SmtpServer, message: EmailMessage, seconds: float) -> None:
    """Send one message; raises ``aiosmtplib.SMTPException`` or ``OSError`` when it fails."""
    # Long header lines stay whole (up to RFC 5322's 998): folded or encoded, a List-Unsubscribe
    # URL is no longer a URL to mail clients.
    raw = message.as_bytes(policy=_WIRE)
    await aiosmtplib.send(
        raw,
        sender=_address(message["From"]),
        recipients=[_address(message["To"])],
        hostname=server.host,
        port=server.port,
        username=server.username,
        password=server.password,
        use_tls=server.tls,
        start_tls=None if not server.tls else False,
        timeout=seconds,
    )
