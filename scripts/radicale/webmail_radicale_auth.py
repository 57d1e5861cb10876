"""A Radicale 3 authentication plugin: a person signs in to the address book with the
same name and password as to their IMAP server (the webmail's CardDAV client sends the
IMAP login name and password it already holds).

Why our own and not Debian's `python3-radicale-dovecot-auth` or PyPI's `radicale-imap`:
the Dovecot one speaks Dovecot's auth protocol (so it needs Dovecot's auth port exposed to
Radicale, cannot serve Cyrus or Courier or a hosted IMAP server), reads only a socket path
unless that option is also given empty, has no timeout and loops for ever on a closed
connection; `radicale-imap` is not packaged by Debian and has neither a CA file option nor
a cache. This one is the Python standard library only (Radicale runs on Debian's python3):

- IMAP LOGIN after STARTTLS (or on an IMAPS port, or in clear text on loopback only),
  the certificate checked against `imap_ca_file` (or the system's CAs), a timeout;
- a successful login is remembered for `cache_seconds` (default 60) by a salted hash of
  the password, so the webmail's handful of CardDAV requests for one page cost one IMAP
  LOGIN, not one each. Failures are never cached (Radicale delays them itself, `delay`).

Configuration (radicale.conf):

    [auth]
    type = webmail_radicale_auth
    imap_host = 127.0.0.1
    imap_port = 143
    imap_security = starttls      # starttls | ssl | none
    imap_ca_file = /path/ca.pem   # optional
    imap_verify = true            # false: do not check the certificate (demo servers only)
    imap_timeout = 10
    cache_seconds = 60

Each option can come from the environment instead (WEBMAIL_RADICALE_IMAP_HOST, ...), as in
docker-compose.yml's `radicale` service. The login name is taken as given (Radicale's collection path is /<login>/), lower-cased
so one person has one address book however the name is spelled.
"""
from __future__ import annotations

import hashlib
import imaplib
import logging
import os
import ssl
import threading
import time

from radicale.auth import BaseAuth

log = logging.getLogger("radicale")

_MAX_FIELD = 512  # longer names or passwords are refused without asking the server


class Auth(BaseAuth):
    def __init__(self, configuration) -> None:  # type: ignore[no-untyped-def]
        super().__init__(configuration)
        self._host = self._option("imap_host", "127.0.0.1")
        self._port = int(self._option("imap_port", "143"))
        self._security = self._option("imap_security", "starttls").lower()
        if self._security not in {"starttls", "ssl", "none"}:
            raise RuntimeError(f"imap_security must be starttls, ssl or none, not {self._security!r}")
        if self._security == "none" and self._host not in {"127.0.0.1", "::1", "localhost"}:
            raise RuntimeError("imap_security = none is allowed on loopback only")
        self._ca_file = self._option("imap_ca_file", "")
        self._verify = self._option("imap_verify", "true").lower() not in {"0", "false", "no", "off"}
        self._timeout = float(self._option("imap_timeout", "10"))
        self._cache_seconds = float(self._option("cache_seconds", "60"))
        self._salt = os.urandom(16)
        self._cache: dict[tuple[str, bytes], float] = {}
        self._lock = threading.Lock()

    def _option(self, name: str, default: str) -> str:
        """The [auth] option, else the environment's WEBMAIL_RADICALE_<NAME> (the container
        image is configured that way), else the default."""
        try:
            value = self.configuration.get("auth", name)
        except KeyError:
            value = None
        if value in (None, ""):
            value = os.environ.get(f"WEBMAIL_RADICALE_{name.upper()}", "")
        return str(value) if value not in (None, "") else default

    def _context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(cafile=self._ca_file or None)
        if not self._verify:
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        return context

    def _imap_login(self, login: str, password: str) -> bool:
        client: imaplib.IMAP4
        try:
            if self._security == "ssl":
                client = imaplib.IMAP4_SSL(self._host, self._port, ssl_context=self._context(), timeout=self._timeout)
            else:
                client = imaplib.IMAP4(self._host, self._port, timeout=self._timeout)
                if self._security == "starttls":
                    client.starttls(ssl_context=self._context())
        except (OSError, imaplib.IMAP4.error) as exc:
            log.error("webmail_radicale_auth: cannot reach IMAP %s:%s: %s", self._host, self._port, type(exc).__name__)
            return False
        try:
            # imaplib quotes LOGIN's arguments but sends ASCII only: a UTF-8 name or password
            # goes as AUTHENTICATE PLAIN (RFC 4616, UTF-8) instead.
            if login.isascii() and password.isascii():
                client.login(login, password)
            else:
                token = b"\0" + login.encode() + b"\0" + password.encode()
                client.authenticate("PLAIN", lambda _challenge: token)
            return True
        except (OSError, imaplib.IMAP4.error):
            return False
        finally:
            try:
                client.logout()
            except (OSError, imaplib.IMAP4.error):
                pass

    def login(self, login: str, password: str) -> str:
        if not login or not password or len(login) > _MAX_FIELD or len(password) > _MAX_FIELD:
            return ""
        if any(c in login + password for c in "\r\n\0") or "/" in login:
            return ""
        user = login.strip().lower()
        key = (user, hashlib.blake2b(password.encode("utf-8", "surrogatepass"), key=self._salt).digest())
        now = time.monotonic()
        with self._lock:
            for stale in [k for k, until in self._cache.items() if until <= now]:
                del self._cache[stale]
            if self._cache.get(key, 0.0) > now:
                return user
        if not self._imap_login(login, password):
            return ""
        with self._lock:
            if len(self._cache) < 10_000:
                self._cache[key] = now + self._cache_seconds
        return user
