"""The doors' client TLS context is made once per setting (the system's trust store costs ~40 ms
of CPU to load: a watcher logging many people in again paid it per connection)."""
from __future__ import annotations

import os
import ssl
import subprocess
from pathlib import Path

from mailview.tls import client_tls_context


def test_one_context_per_setting_is_shared():
    first = client_tls_context(verify=True)
    assert client_tls_context(verify=True) is first
    assert first.verify_mode == ssl.CERT_REQUIRED and first.check_hostname
    unchecked = client_tls_context(verify=False)
    assert unchecked is not first and unchecked.verify_mode == ssl.CERT_NONE and not unchecked.check_hostname


def _self_signed(path: Path, name: str) -> None:
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", f"/CN={name}",
         "-keyout", os.devnull, "-out", str(path)],
        check=True, capture_output=True, timeout=60,
    )


def test_a_ca_file_that_changed_on_disk_gets_a_new_context(tmp_path):
    ca = tmp_path / "ca.pem"
    _self_signed(ca, "first")
    first = client_tls_context(verify=True, ca_file=str(ca))
    assert client_tls_context(verify=True, ca_file=str(ca)) is first
    _self_signed(ca, "second-and-longer")
    os.utime(ca, ns=(ca.stat().st_atime_ns, ca.stat().st_mtime_ns + 1_000_000_000))
    second = client_tls_context(verify=True, ca_file=str(ca))
    assert second is not first
    assert [c["subject"] for c in second.get_ca_certs()] == [((("commonName", "second-and-longer"),),)]
