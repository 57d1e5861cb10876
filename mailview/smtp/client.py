"""SMTP submission: the only module that imports smtplib.

`smtp_connect` opens a connection (implicit TLS or STARTTLS per endpoint), `smtp_size`
reads the server's EHLO SIZE, `smtp_submit` sends one message with a commit-point
callback. Errors are mapped to `mailview.smtp.errors`. Settings come in as
arguments (`SmtpEndpoint`), never from Django.
"""
from __future__ import annotations

import base64
import re
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass

from mailview.tls import Endpoint

from .errors import (
    SmtpAuthError,
    SmtpError,
    SmtpMessageTooBig,
    SmtpRecipientsRefused,
    SmtpRefused,
    SmtpTemporaryError,
    SmtpTlsError,
    SmtpUnreachable,
)


@dataclass(frozen=True)
class SmtpEndpoint(Endpoint):
    """Where and how to reach an SMTP server."""

    timeout: float = 30.0


def _reply_text(reply: bytes | str) -> str:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
    return re.sub(r"\s+", " ", text).strip()[:300]


def smtp_connect(endpoint: SmtpEndpoint) -> smtplib.SMTP:
    """Connected, EHLO'd and (per endpoint) encrypted. Raises SmtpError."""
    try:
        if endpoint.security == "ssl":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(endpoint.host, endpoint.port, timeout=endpoint.timeout, context=endpoint.ssl_context())
        else:
            smtp = smtplib.SMTP(endpoint.host, endpoint.port, timeout=endpoint.timeout)
        smtp.ehlo()
        if endpoint.security == "starttls":
            if not smtp.has_extn("starttls"):
                smtp.close()
                raise SmtpTlsError("the server does not offer STARTTLS")
            smtp.starttls(context=endpoint.ssl_context())
            smtp.ehlo()
        return smtp
    except SmtpError:
        raise
    except ssl.SSLCertVerificationError as exc:
        raise SmtpTlsError(f"certificate not trusted: {exc.verify_message}") from exc
    except (smtplib.SMTPConnectError, smtplib.SMTPServerDisconnected, smtplib.SMTPHeloError, OSError) as exc:
        raise SmtpUnreachable(f"{endpoint.host}:{endpoint.port}: {type(exc).__name__}") from exc


def _close(smtp: smtplib.SMTP) -> None:
    try:
        smtp.quit()
    except (smtplib.SMTPException, OSError):
        smtp.close()


def smtp_size(endpoint: SmtpEndpoint) -> int | None:
    """The largest message the server says it takes (EHLO SIZE), None if it names none.
    Raises SmtpError when it cannot be reached."""
    smtp = smtp_connect(endpoint)
    try:
        advertised = smtp.esmtp_features.get("size", "").strip()
        return int(advertised) if advertised.isdigit() and int(advertised) > 0 else None
    finally:
        _close(smtp)


def _dot_stuffed(data: bytes) -> bytes:
    data = re.sub(rb"\r\n|\n|\r(?!\n)", b"\r\n", data)
    data = re.sub(rb"(?m)^\.", b"..", data)
    return data if data.endswith(b"\r\n") else data + b"\r\n"


def _classify(code: int, reply: bytes | str, *, stage: str) -> SmtpError:
    text = _reply_text(reply)
    if 400 <= code < 500:
        return SmtpTemporaryError(f"{code} {text}")
    if code == 552 or "5.3.4" in text or "too big" in text.lower() or ("size" in text.lower() and stage in ("mail", "data")):
        return SmtpMessageTooBig(f"{code} {text}")
    return SmtpRefused(f"{code} {text}")


def _login(smtp: smtplib.SMTP, username: str, password: str) -> None:
    """smtplib encodes AUTH as ASCII (a UnicodeEncodeError for `pässwörd`); SASL PLAIN
    carries UTF-8 (RFC 4616), so non-ASCII credentials go that way."""
    if username.isascii() and password.isascii():
        smtp.login(username, password)
        return
    token = base64.b64encode(f"\0{username}\0{password}".encode()).decode("ascii")
    code, reply = smtp.docmd("AUTH", f"PLAIN {token}")
    if code != 235:
        raise smtplib.SMTPAuthenticationError(code, reply)


def smtp_submit(
    *, endpoint: SmtpEndpoint, username: str, password: str, envelope_from: str, recipients: list[str], data: bytes,
    on_commit_point: Callable[[], object],
) -> str:
    """Submit one message; returns the server's final reply. Raises SmtpError.

    `on_commit_point()` is called once every recipient is accepted and the message
    body is on the wire, just before the final "." that makes the server take it:
    from there on a failure is ambiguous.
    """
    smtp = smtp_connect(endpoint)
    try:
        try:
            if smtp.has_extn("auth"):
                _login(smtp, username, password)
        except smtplib.SMTPAuthenticationError as exc:
            if 400 <= exc.smtp_code < 500:
                raise SmtpTemporaryError(f"{exc.smtp_code} {_reply_text(exc.smtp_error)}") from exc
            raise SmtpAuthError(f"{exc.smtp_code} {_reply_text(exc.smtp_error)}") from exc
        except smtplib.SMTPException as exc:
            raise SmtpAuthError(type(exc).__name__) from exc
        advertised = smtp.esmtp_features.get("size", "").strip()
        if advertised.isdigit() and 0 < int(advertised) < len(data):
            raise SmtpMessageTooBig(f"{len(data)} > {advertised}")
        options = []
        if smtp.has_extn("size"):
            options.append(f"SIZE={len(data)}")
        if not data.isascii() and smtp.has_extn("8bitmime"):
            options.append("BODY=8BITMIME")
        code, reply = smtp.mail(envelope_from, options)
        if code != 250:
            raise _classify(code, reply, stage="mail")
        refused: dict[str, tuple[int, str]] = {}
        for recipient in recipients:
            code, reply = smtp.rcpt(recipient)
            if code not in (250, 251):
                refused[recipient] = (code, _reply_text(reply))
        if refused:
            try:
                smtp.rset()
            except (smtplib.SMTPException, OSError):
                pass
            if all(400 <= c < 500 for c, _ in refused.values()):
                raise SmtpTemporaryError("; ".join(f"{r}: {c} {t}" for r, (c, t) in refused.items()))
            bad = [r for r, (c, _) in refused.items() if c >= 500]
            raise SmtpRecipientsRefused(", ".join(bad) + " — " + "; ".join(f"{c} {t}" for c, t in refused.values()))
        code, reply = smtp.docmd("DATA")
        if code != 354:
            raise _classify(code, reply, stage="data")
        smtp.send(_dot_stuffed(data))
        on_commit_point()
        smtp.send(b".\r\n")
        code, reply = smtp.getreply()
        if code != 250:
            raise _classify(code, reply, stage="data")
        return _reply_text(reply)
    except SmtpError:
        raise
    except (smtplib.SMTPServerDisconnected, OSError) as exc:
        raise SmtpUnreachable(f"{endpoint.host}:{endpoint.port}: {type(exc).__name__}") from exc
    except smtplib.SMTPResponseException as exc:
        raise _classify(exc.smtp_code, exc.smtp_error, stage="other") from exc
    finally:
        _close(smtp)
