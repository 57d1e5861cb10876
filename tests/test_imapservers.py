"""scripts/imapservers.sh looks after its own processes: `stop` ends each server's whole process
tree, and `start` first ends what an earlier run in the same state directory left behind (a
Cyrus imapd holding the port after its master died), and never touches another stack's.

Each test runs Cyrus and Courier in a state directory of its own, on free ports, beside the
session's (scripts/test.sh started those; they must come out untouched)."""
from __future__ import annotations

import hashlib
import os
import shutil
import signal
import socket
import subprocess
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support import REPO, TEST_VAR, process_running, wait_until

IMAPSERVERS = REPO / "scripts" / "imapservers.sh"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _holders(port: int) -> set[int]:
    """The processes holding the socket that listens on 127.0.0.1:`port`."""
    inodes = {
        fields[9]
        for line in Path("/proc/net/tcp").read_text().splitlines()[1:]
        if (fields := line.split()) and fields[1] == f"0100007F:{port:04X}" and fields[3] == "0A"
    }
    found = set()
    for fd_dir in Path("/proc").glob("[0-9]*/fd"):
        try:
            links = [os.readlink(fd) for fd in fd_dir.iterdir()]
        except OSError:
            continue
        if any(link in {f"socket:[{inode}]" for inode in inodes} for link in links):
            found.add(int(fd_dir.parent.name))
    return {pid for pid in found if process_running(pid)}


def _pidfile(path: Path) -> int:
    return int(path.read_text().split()[0])


@dataclass
class PrivateServers:
    state: Path
    cyrus_port: int
    courier_port: int
    run: Callable[..., subprocess.CompletedProcess[str]]

    @property
    def cyrus_master(self) -> int:
        return _pidfile(self.state / "cyrus" / "run" / "master.pid")


@pytest.fixture
def private_servers() -> Iterator[PrivateServers]:
    state = TEST_VAR / f"imapservers-{uuid.uuid4().hex[:8]}"
    state.mkdir(mode=0o755)
    (state / "tls").mkdir(mode=0o700)
    for name in ("cert.pem", "key.pem", "dh.pem"):
        source = Path(os.environ["MAILSTACK_DIR"]) / "tls" / name
        if source.exists():
            shutil.copy(source, state / "tls" / name)
    env = {**os.environ, "MAILSTACK_DIR": str(state), "MAILSTACK_CYRUS_PORT": str(_free_port()), "MAILSTACK_COURIER_PORT": str(_free_port())}

    def run(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(["bash", str(IMAPSERVERS), *args], env=env, capture_output=True, text=True, timeout=180)
        assert not check or result.returncode == 0, result.stderr[-3000:]
        return result

    servers = PrivateServers(state, int(env["MAILSTACK_CYRUS_PORT"]), int(env["MAILSTACK_COURIER_PORT"]), run)
    try:
        yield servers
    finally:
        run("stop", check=False)
        for pid in _holders(servers.cyrus_port) | _holders(servers.courier_port):  # whatever a failed test left
            os.kill(pid, signal.SIGKILL)
        shutil.rmtree(state, ignore_errors=True)
        userdb = hashlib.md5(str(state.resolve()).encode()).hexdigest()[:12]  # noqa: S324 - the script's file name
        Path(f"/etc/courier/userdb/webmail-{userdb}").unlink(missing_ok=True)


def _session_servers() -> set[int]:
    """The session's own Cyrus and Courier listeners (another stack, for these tests)."""
    return _holders(int(os.environ["MAILSTACK_CYRUS_PORT"])) | _holders(int(os.environ["MAILSTACK_COURIER_PORT"]))


def test_start_ends_the_imapd_a_dead_cyrus_master_left_holding_its_port(private_servers):
    others = _session_servers()
    private_servers.run("start")
    master = private_servers.cyrus_master
    wait_until(lambda: _holders(private_servers.cyrus_port) - {master}, timeout=30, message="a preforked imapd holding the port")
    children = _holders(private_servers.cyrus_port) - {master}
    os.kill(master, signal.SIGKILL)  # a master that died (OOM, a killed run)
    wait_until(lambda: not process_running(master), message="the master gone")
    assert _holders(private_servers.cyrus_port) == children, "its imapd still holds the port"

    private_servers.run("start")
    assert private_servers.cyrus_master != master
    assert not any(process_running(pid) for pid in children)
    assert private_servers.cyrus_master in _holders(private_servers.cyrus_port)
    assert _session_servers() == others, "another stack's servers are never touched"


def test_stop_ends_every_process_of_both_servers_even_with_a_client_connected(private_servers):
    others = _session_servers()
    private_servers.run("start")
    clients = [socket.create_connection(("127.0.0.1", port), timeout=10) for port in (private_servers.cyrus_port, private_servers.courier_port)]
    try:
        for client in clients:
            assert client.recv(1024).startswith(b"* OK")  # a server process is serving each
        tree = _holders(private_servers.cyrus_port) | _holders(private_servers.courier_port)
        os.kill(private_servers.cyrus_master, signal.SIGKILL)  # its children are left to `stop` alone
        private_servers.run("stop")
        assert not any(process_running(pid) for pid in tree)
        assert not _holders(private_servers.cyrus_port) and not _holders(private_servers.courier_port)
    finally:
        for client in clients:
            client.close()
    assert _session_servers() == others, "another stack's servers are never touched"
