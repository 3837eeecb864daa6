"""An SMTP server on loopback (RFC 5321, no TLS or AUTH): greets, takes EHLO, MAIL,
RCPT, DATA (with dot-unstuffing), RSET, NOOP and QUIT, and keeps each message it
accepts. A recipient can be refused with a reply of the test's choosing (550 for a
mailbox that does not exist, 451 for "try again later").

Usage::

    smtp = SmtpStandIn()
    with smtp as url:  # "smtp://127.0.0.1:<port>"
        settings.EMAIL_HOST, settings.EMAIL_PORT = smtp.host, smtp.port
        ...
    smtp.messages[0]["Message-ID"]
"""

from __future__ import annotations

import email
import email.message
import email.policy
import socketserver
import threading
from types import TracebackType


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


class SmtpStandIn:
    def __init__(self) -> None:
        # Recipient address -> the reply RCPT TO gets instead of 250.
        self.refused: dict[str, tuple[int, str]] = {}
        self._messages: list[email.message.EmailMessage] = []
        self._envelopes: list[tuple[str, list[str]]] = []
        self._lock = threading.Lock()
        self._server: _Server | None = None

    @property
    def messages(self) -> list[email.message.EmailMessage]:
        with self._lock:
            return list(self._messages)

    @property
    def envelopes(self) -> list[tuple[str, list[str]]]:
        """(MAIL FROM, [RCPT TO, ...]) of each accepted message."""
        with self._lock:
            return list(self._envelopes)

    @property
    def host(self) -> str:
        return "127.0.0.1"

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("The stand-in is not running: use it as a context manager.")
        return int(self._server.server_address[1])

    def __enter__(self) -> str:
        self._server = _Server(("127.0.0.1", 0), _handler_for(self))
        threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        return f"smtp://{self.host}:{self.port}"

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def _accept(self, sender: str, recipients: list[str], data: bytes) -> None:
        parsed = email.message_from_bytes(data, policy=email.policy.default)
        assert isinstance(parsed, email.message.EmailMessage)
        with self._lock:
            self._messages.append(parsed)
            self._envelopes.append((sender, recipients))


def _address(argument: str) -> str:
    """The address in "FROM:<a@b> SIZE=12" or "TO:<a@b>"."""
    _, _, rest = argument.partition(":")
    return rest.strip().split(" ")[0].strip("<>")


def _handler_for(standin: SmtpStandIn) -> type[socketserver.StreamRequestHandler]:
    class Handler(socketserver.StreamRequestHandler):
        def reply(self, code: int, text: str) -> None:
            self.wfile.write(f"{code} {text}\r\n".encode())

        def handle(self) -> None:
            self.reply(220, "standin ESMTP")
            sender, recipients = "", list[str]()
            while line := self.rfile.readline():
                verb, _, argument = line.decode("utf-8", "replace").strip().partition(" ")
                verb = verb.upper()
                if verb == "EHLO":
                    self.wfile.write(b"250-standin\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n")
                elif verb in ("HELO", "NOOP"):
                    self.reply(250, "OK")
                elif verb == "MAIL":
                    sender, recipients = _address(argument), []
                    self.reply(250, "2.1.0 OK")
                elif verb == "RCPT":
                    address = _address(argument)
                    code, text = standin.refused.get(address, (250, "2.1.5 OK"))
                    if code == 250:
                        recipients.append(address)
                    self.reply(code, text)
                elif verb == "DATA":
                    if not recipients:
                        self.reply(554, "5.5.1 No valid recipients")
                        continue
                    self.reply(354, "End data with <CR><LF>.<CR><LF>")
                    standin._accept(sender, recipients, self._data())
                    self.reply(250, "2.0.0 OK: queued")
                elif verb == "RSET":
                    sender, recipients = "", []
                    self.reply(250, "OK")
                elif verb == "QUIT":
                    self.reply(221, "Bye")
                    return
                else:
                    self.reply(502, "5.5.2 Command not recognized")

        def _data(self) -> bytes:
            lines = []
            while (line := self.rfile.readline()) not in (b".\r\n", b".\n", b""):
                lines.append(line[1:] if line.startswith(b"..") else line)
            return b"".join(lines)

    return Handler
