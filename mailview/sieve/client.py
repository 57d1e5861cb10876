"""A small ManageSieve client (RFC 5804): the only module that speaks the protocol.

Why not `sievelib`: its client builds its own TLS context (`ssl.create_default_context()`
with no way to pass a CA file or the server profile's verify choice, so the dev stack's
self-signed certificate and `WEBMAIL_IMAP_CA_FILE` could not be honoured), has a fixed
class-wide 5 s timeout, and reports failures as booleans plus attributes rather than
exceptions. The protocol subset we need (capabilities, STARTTLS, AUTHENTICATE PLAIN,
LISTSCRIPTS, GETSCRIPT, PUTSCRIPT, CHECKSCRIPT, SETACTIVE, DELETESCRIPT, LOGOUT) is small.

Strings we send: names as quoted strings (UTF-8; `"` and `\\` escaped; CR, LF and NUL
refused), script bodies as non-synchronizing literals `{n+}`. What the server sends is
bounded (line length, literal size).
"""
from __future__ import annotations

import base64
import re
import socket
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from mailview.tls import Endpoint

from .errors import SieveAuthError, SieveError, SieveProtocolError, SieveRefused, SieveTlsError, SieveUnreachable

MAX_LINE = 64 * 1024
MAX_LITERAL = 4 * 1024 * 1024
_LITERAL_AT_END = re.compile(rb"\{(\d{1,10})\+?\}$")


@dataclass(frozen=True)
class SieveEndpoint(Endpoint):
    """Where and how to reach a ManageSieve server."""

    timeout: float = 20.0


@dataclass
class Response:
    """One answer: the data lines before it (each a list of tokens: `str` for atoms and
    strings), then OK/NO/BYE with its response code and text."""

    status: str
    code: str = ""
    text: str = ""
    lines: list[list[str]] = field(default_factory=list)


def quoted(value: str) -> bytes:
    """A ManageSieve quoted string (RFC 5804 section 4): UTF-8, `\\` and `"` escaped."""
    if any(c in value for c in "\r\n\x00"):
        raise ValueError("CR, LF and NUL cannot be sent in a quoted string")
    return b'"' + value.replace("\\", "\\\\").replace('"', '\\"').encode("utf-8") + b'"'


def literal(value: str) -> bytes:
    """A non-synchronizing literal (`{n+}` CRLF octets), the form clients must use."""
    data = value.encode("utf-8")
    return b"{%d+}\r\n" % len(data) + data


class ManageSieveClient:
    """One connection. Use `sieve_session()` rather than this class directly."""

    def __init__(self, endpoint: SieveEndpoint) -> None:
        self.endpoint = endpoint
        self.capabilities: dict[str, str] = {}
        self._sock: socket.socket | None = None
        self._buffer = b""

    # ---- wire -----------------------------------------------------------------------
    def _send(self, data: bytes) -> None:
        assert self._sock is not None
        try:
            self._sock.sendall(data)
        except OSError as exc:
            raise SieveUnreachable(f"send: {type(exc).__name__}") from exc

    def _fill(self) -> None:
        assert self._sock is not None
        try:
            chunk = self._sock.recv(65536)
        except OSError as exc:
            raise SieveUnreachable(f"receive: {type(exc).__name__}") from exc
        if not chunk:
            raise SieveUnreachable("the server closed the connection")
        self._buffer += chunk

    def _read_line(self) -> bytes:
        while b"\r\n" not in self._buffer:
            if len(self._buffer) > MAX_LINE:
                raise SieveProtocolError("line too long")
            self._fill()
        line, self._buffer = self._buffer.split(b"\r\n", 1)
        return line

    def _read_exact(self, size: int) -> bytes:
        while len(self._buffer) < size:
            self._fill()
        data, self._buffer = self._buffer[:size], self._buffer[size:]
        return data

    def _read_tokens(self) -> list[str]:
        """One logical line: atoms, quoted strings, literals (which may span lines) and a
        parenthesised response code (kept as its raw text, with the parentheses)."""
        tokens: list[str] = []
        line = self._read_line()
        pos = 0
        while True:
            while pos < len(line) and line[pos:pos + 1] == b" ":
                pos += 1
            if pos >= len(line):
                return tokens
            char = line[pos:pos + 1]
            if char == b'"':
                out = bytearray()
                pos += 1
                while True:
                    if pos >= len(line):
                        raise SieveProtocolError("unterminated quoted string")
                    c = line[pos:pos + 1]
                    if c == b"\\" and pos + 1 < len(line):
                        out += line[pos + 1:pos + 2]
                        pos += 2
                    elif c == b'"':
                        pos += 1
                        break
                    else:
                        out += c
                        pos += 1
                tokens.append(out.decode("utf-8", "replace"))
            elif char == b"{":
                match = _LITERAL_AT_END.match(line, pos)
                if match is None:
                    raise SieveProtocolError("malformed literal")
                size = int(match.group(1))
                if size > MAX_LITERAL:
                    raise SieveProtocolError("literal too large")
                tokens.append(self._read_exact(size).decode("utf-8", "replace"))
                line, pos = self._read_line(), 0
            elif char == b"(":
                depth, start, in_quote = 0, pos, False
                while pos < len(line):
                    c = line[pos:pos + 1]
                    if in_quote and c == b"\\":
                        pos += 1
                    elif c == b'"':
                        in_quote = not in_quote
                    elif not in_quote and c == b"(":
                        depth += 1
                    elif not in_quote and c == b")":
                        depth -= 1
                        if depth == 0:
                            pos += 1
                            break
                    pos += 1
                tokens.append(line[start:pos].decode("utf-8", "replace"))
            else:
                end = line.find(b" ", pos)
                end = len(line) if end < 0 else end
                tokens.append(line[pos:end].decode("utf-8", "replace"))
                pos = end

    def _response(self) -> Response:
        lines: list[list[str]] = []
        while True:
            tokens = self._read_tokens()
            if tokens and tokens[0].upper() in ("OK", "NO", "BYE"):
                rest = tokens[1:]
                code = rest.pop(0)[1:-1] if rest and rest[0].startswith("(") else ""
                return Response(tokens[0].upper(), code, " ".join(rest), lines)
            lines.append(tokens)
            if len(lines) > 10000:
                raise SieveProtocolError("too many lines")

    def command(self, *parts: bytes) -> Response:
        """Send one command; a NO or BYE answer raises `SieveRefused`."""
        self._send(b" ".join(parts) + b"\r\n")
        response = self._response()
        if response.status != "OK":
            raise SieveRefused(response.text, response.code)
        return response

    # ---- session ----------------------------------------------------------------------
    def _read_capabilities(self, response: Response) -> None:
        self.capabilities = {t[0].upper(): (t[1] if len(t) > 1 else "") for t in response.lines if t}

    def connect(self) -> None:
        """Connect, read the greeting and (per endpoint) start TLS."""
        ep = self.endpoint
        try:
            sock = socket.create_connection((ep.host, ep.port), timeout=ep.timeout)
            if ep.security == "ssl":
                sock = ep.ssl_context().wrap_socket(sock, server_hostname=ep.host)
        except ssl.SSLCertVerificationError as exc:
            raise SieveTlsError(f"certificate not trusted: {exc.verify_message}") from exc
        except OSError as exc:
            raise SieveUnreachable(f"{ep.host}:{ep.port}: {type(exc).__name__}") from exc
        self._sock = sock
        greeting = self._response()
        if greeting.status != "OK":
            raise SieveUnreachable(f"greeting: {greeting.text}")
        self._read_capabilities(greeting)
        if ep.security == "starttls":
            if "STARTTLS" not in self.capabilities:
                raise SieveTlsError("the server does not offer STARTTLS")
            self.command(b"STARTTLS")
            try:
                self._sock = ep.ssl_context().wrap_socket(self._sock, server_hostname=ep.host)
            except ssl.SSLCertVerificationError as exc:
                raise SieveTlsError(f"certificate not trusted: {exc.verify_message}") from exc
            except OSError as exc:
                raise SieveTlsError(f"TLS: {type(exc).__name__}") from exc
            self._buffer = b""
            # RFC 5804 2.2: the server sends its capabilities again after STARTTLS
            self._read_capabilities(self._response())

    def authenticate(self, username: str, password: str) -> None:
        """SASL PLAIN (RFC 4616: UTF-8 user name and password) as the initial response."""
        if "PLAIN" not in self.capabilities.get("SASL", "").upper().split():
            raise SieveAuthError("the server does not offer SASL PLAIN")
        token = base64.b64encode(b"\0" + username.encode("utf-8") + b"\0" + password.encode("utf-8")).decode("ascii")
        try:
            self.command(b"AUTHENTICATE", quoted("PLAIN"), quoted(token))
        except SieveRefused as exc:
            raise SieveAuthError(exc.detail) from exc

    def close(self) -> None:
        if self._sock is None:
            return
        try:
            self._send(b"LOGOUT\r\n")
            self._response()
        except SieveError:
            pass
        finally:
            try:
                self._sock.close()
            except OSError:
                pass
            self._sock = None

    # ---- scripts ------------------------------------------------------------------------
    def list_scripts(self) -> list[tuple[str, bool]]:
        """(name, active) of every script."""
        response = self.command(b"LISTSCRIPTS")
        return [(t[0], len(t) > 1 and t[1].upper() == "ACTIVE") for t in response.lines if t]

    def get_script(self, name: str) -> str:
        response = self.command(b"GETSCRIPT", quoted(name))
        return response.lines[0][0] if response.lines and response.lines[0] else ""

    def put_script(self, name: str, content: str) -> str:
        """Store (replace) a script; the server checks it first (a NO carries its errors).
        Returns the server's warnings, if any."""
        response = self.command(b"PUTSCRIPT", quoted(name), literal(content))
        return response.text if response.code.upper().startswith("WARNINGS") else ""

    def check_script(self, content: str) -> None:
        """Raise `SieveRefused` with the server's error text if the script does not compile."""
        self.command(b"CHECKSCRIPT", literal(content))

    def set_active(self, name: str) -> None:
        """Make `name` the active script; `""` deactivates all."""
        self.command(b"SETACTIVE", quoted(name))

    def delete_script(self, name: str) -> None:
        self.command(b"DELETESCRIPT", quoted(name))


@contextmanager
def sieve_session(endpoint: SieveEndpoint, username: str, password: str) -> Iterator[ManageSieveClient]:
    """A connected, authenticated client, logged out at the end of the block."""
    client = ManageSieveClient(endpoint)
    try:
        client.connect()
        client.authenticate(username, password)
        yield client
    finally:
        client.close()
