"""Where a server is and how to reach it over TLS, for the two doors (IMAP and SMTP). Pure:
no app code."""
from __future__ import annotations

import functools
import os
import ssl
from dataclasses import dataclass


def client_tls_context(*, verify: bool, ca_file: str = "") -> ssl.SSLContext:
    """The system's trust (plus `ca_file` when given: self-signed servers); `verify=False`
    turns checking off entirely (a server profile's explicit choice, never the default).

    One context per setting, shared (nobody changes a context after it is made, and OpenSSL
    shares one between threads): loading the system's trust store costs ~40 ms of CPU, which a
    watcher logging 150 people in again after a failover, or a busy pool, paid per connection.
    A CA file that changed on disk (its size or time) gets a new context."""
    stamp = None
    if ca_file:
        try:
            info = os.stat(ca_file)
            stamp = (info.st_mtime_ns, info.st_size)
        except OSError:
            return _make_context(verify, ca_file)
    return _cached_context(verify, ca_file, stamp)


@functools.lru_cache(maxsize=32)
def _cached_context(verify: bool, ca_file: str, stamp: tuple[int, int] | None) -> ssl.SSLContext:
    return _make_context(verify, ca_file)


def _make_context(verify: bool, ca_file: str) -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=ca_file or None)
    if not verify:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


@dataclass(frozen=True)
class Endpoint:
    """Where and how to reach a server; each door subclasses it with its own timeout."""

    host: str
    port: int
    security: str  # "ssl" | "starttls" | "none"
    verify_tls: bool = True
    ca_file: str = ""
    timeout: float = 20.0

    def ssl_context(self) -> ssl.SSLContext:
        return client_tls_context(verify=self.verify_tls, ca_file=self.ca_file)
