"""Email through Django's backend (SMTP in production), with a Message-ID of our own
that is kept as the provider id, so a bounce or a reply can be matched to its row."""

from __future__ import annotations

import smtplib
from email.utils import make_msgid, parseaddr

from django.conf import settings
from django.core.mail import EmailMessage

from .base import Message, TransportError

_PERMANENT_REPLY = 500  # SMTP 5yz: the server will not take this message


def message_id_domain() -> str:
    """The domain of DEFAULT_FROM_EMAIL ("Clinic <no-reply@example.com>" included)."""
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    return address.rpartition("@")[2] or "localhost"


class EmailTransport:
    def send(self, message: Message) -> str:
        message_id = make_msgid(domain=message_id_domain())
        email = EmailMessage(
            subject=message.subject,
            body=message.body,
            to=[message.to],
            headers={"Message-ID": message_id, "X-Notification-Id": str(message.notification_id)},
        )
        try:
            email.send(fail_silently=False)
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            permanent = bool(codes) and all(code >= _PERMANENT_REPLY for code in codes)
            raise TransportError(f"email refused: {exc.recipients}", permanent=permanent) from exc
        except (smtplib.SMTPException, ConnectionError, TimeoutError, OSError) as exc:
            # Authentication, a full mailbox server, a dropped connection: the message
            # itself may be fine, so it is tried again.
            raise TransportError(f"email: {exc}", permanent=False) from exc
        return message_id
