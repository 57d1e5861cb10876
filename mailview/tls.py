"""TLS for the two doors (IMAP and SMTP): one way to build a client context. Pure: no app code."""
from __future__ import annotations

import ssl


def client_tls_context(*, verify: bool, ca_file: str = "") -> ssl.SSLContext:
    """The system's trust (plus `ca_file` when given: self-signed servers); `verify=False`
    turns checking off entirely (a server profile's explicit choice, never the default)."""
    context = ssl.create_default_context(cafile=ca_file or None)
    if not verify:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context
