"""`thaw serve` refuses everything but an interactive reading session (real OpenSSH client)."""

from __future__ import annotations

import socket
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from support.ssh_helpers import (
    CLIENT_OPTIONS,
    ServeProcess,
    free_port,
    key_fingerprint,
    make_key,
    port_is_open,
    start_serve,
    wait_for,
)

pytestmark = pytest.mark.slow
Serve = Callable[..., ServeProcess]


class Listener:
    """A TCP server that counts who connects: the target a forward would reach."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.sock.settimeout(0.2)
        self.port = int(self.sock.getsockname()[1])
        self.accepted = 0
        self._stop = False
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.accepted += 1
            conn.sendall(b"SECRET\n")
            conn.close()

    def close(self) -> None:
        self._stop = True
        self._thread.join(2)
        self.sock.close()


def test_commands_get_one_sentence_and_no_output(serve: Serve, key_dir: Path) -> None:
    server = serve()
    key = make_key(key_dir, "reader")
    for command in (["cat /etc/passwd"], ["--", "sh"], ["sh", "-c", "id"]):
        result = server.run(key, *command)
        assert result.returncode == 1
        assert "thaw runs no commands" in result.stderr
        assert "root:" not in result.stdout + result.stderr
        assert "uid=" not in result.stdout + result.stderr
    assert server.stub_reports() == []  # nothing was started for them
    lines = server.wait_for_log(3)
    assert all("exit=refused:command" in line for line in lines)


def test_session_without_terminal_is_told_to_use_ssh_t(serve: Serve, key_dir: Path) -> None:
    server = serve()
    result = server.run(make_key(key_dir, "reader"))
    assert result.returncode == 1
    assert "thaw needs an interactive terminal: ssh -t ..." in result.stderr
    assert server.stub_reports() == []


def test_sftp_and_scp_are_refused(serve: Serve, key_dir: Path, tmp_path: Path) -> None:
    server = serve()
    key = make_key(key_dir, "reader")
    subsystem = server.run(key, "-s", "sftp")
    assert subsystem.returncode != 0
    assert "subsystem request failed" in subsystem.stderr

    target = f"scp://read@127.0.0.1:{server.port}/"
    common = [*CLIENT_OPTIONS, "-o", "BatchMode=yes", "-i", str(key)]
    copied = tmp_path / "copied"
    for argv in (
        ["scp", *common, target + "/etc/passwd", str(copied)],  # over sftp (default)
        ["scp", "-O", *common, target + "/etc/passwd", str(copied)],  # legacy scp protocol
        ["scp", *common, str(key) + ".pub", target + "/tmp/thaw-upload"],
    ):
        result = subprocess.run(argv, capture_output=True, text=True, timeout=15)
        assert result.returncode != 0, argv
    assert not copied.exists()
    assert not Path("/tmp/thaw-upload").exists()

    batch = tmp_path / "batch"
    batch.write_text("get /etc/passwd\n")
    sftp = subprocess.run(
        ["sftp", *common, "-b", str(batch), "-P", str(server.port), "read@127.0.0.1"],
        capture_output=True,
        text=True,
        timeout=15,
        cwd=tmp_path,
    )
    assert sftp.returncode != 0
    assert not (tmp_path / "passwd").exists()


def test_local_and_dynamic_forwarding_reach_nothing(serve: Serve, key_dir: Path) -> None:
    server = serve()
    key = make_key(key_dir, "reader")
    target = Listener()
    local_port, socks_port = free_port(), free_port()
    client = subprocess.Popen(
        server.ssh_argv(
            key,
            "-N",
            options=[
                "-L", f"127.0.0.1:{local_port}:127.0.0.1:{target.port}",
                "-D", f"127.0.0.1:{socks_port}",
            ],
        ),
        stdin=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        # The ports are the client's own; what matters is that nothing passes through.
        wait_for(lambda: port_is_open(local_port) and port_is_open(socks_port), 10, "client ports")
        with socket.create_connection(("127.0.0.1", local_port), timeout=5) as forwarded:
            forwarded.settimeout(5)
            assert forwarded.recv(100) == b""  # closed at once, no SECRET
        with socket.create_connection(("127.0.0.1", socks_port), timeout=5) as socks:
            socks.settimeout(5)
            socks.sendall(b"\x05\x01\x00")
            assert socks.recv(2) == b"\x05\x00"
            socks.sendall(b"\x05\x01\x00\x01\x7f\x00\x00\x01" + target.port.to_bytes(2, "big"))
            reply = socks.recv(10)
            assert reply == b"" or reply[1] != 0  # not "succeeded"
        time.sleep(0.2)
        assert target.accepted == 0
    finally:
        client.kill()
        client.wait()
        target.close()


def test_remote_forwarding_is_refused_and_opens_no_port(serve: Serve, key_dir: Path) -> None:
    server = serve()
    key = make_key(key_dir, "reader")
    remote_port = free_port()
    result = server.run(
        key,
        "-N",
        options=["-R", f"127.0.0.1:{remote_port}:127.0.0.1:22", "-o", "ExitOnForwardFailure=yes"],
    )
    assert result.returncode != 0
    assert "remote port forwarding failed" in result.stderr
    assert not port_is_open(remote_port)


def test_only_listed_keys_get_in_by_default(serve: Serve, key_dir: Path) -> None:
    listed, stranger = make_key(key_dir, "listed"), make_key(key_dir, "stranger")
    keys_file = key_dir / "authorized_keys"
    keys_file.write_text(
        f"# readers\nrestrict,pty {Path(str(listed) + '.pub').read_text()}not a key at all\n"
    )
    server = serve(access=("--authorized-keys", str(keys_file)))
    refused = server.run(stranger, "-tt")
    assert refused.returncode == 255
    assert "Permission denied" in refused.stderr
    # No key at all is not anonymous access unless --open.
    keyless = server.run(
        None, "-tt", options=["-o", "PreferredAuthentications=keyboard-interactive"]
    )
    assert keyless.returncode == 255

    session = server.interactive(listed)
    session.wait_for_text("STUB READY")
    report = server.wait_for_stub_reports(1)[0]
    argv = report["argv"]
    assert argv[argv.index("--reader") + 1] == key_fingerprint(listed)
    assert "--ephemeral" not in argv


def test_keyless_reader_is_anonymous_under_open(serve: Serve) -> None:
    server = serve()
    session = server.interactive(
        None, options=["-o", "PreferredAuthentications=keyboard-interactive"], batch=False
    )
    session.wait_for_text("STUB READY")
    argv = server.wait_for_stub_reports(1)[0]["argv"]
    assert argv[argv.index("--reader") + 1] == "anonymous"
    assert "--ephemeral" in argv


def test_missing_authorized_keys_file_stops_start_with_the_fix(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError) as failure:
        start_serve(tmp_path, access=())
    message = str(failure.value)
    assert "No authorized keys file at" in message
    assert "--open" in message
    assert "Traceback" not in message


def test_host_key_is_made_once_private_and_announced(serve: Serve, key_dir: Path) -> None:
    first = serve()
    host_key = first.state_dir / "ssh_host_ed25519_key"
    assert host_key.stat().st_mode & 0o777 == 0o600
    printed = subprocess.run(
        ["ssh-keygen", "-l", "-E", "sha256", "-f", str(host_key)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()[1]
    assert printed == first.host_fingerprint
    first.stop()
    again = start_serve(first.state_dir.parent)  # same state directory: same key
    try:
        assert again.host_fingerprint == first.host_fingerprint
    finally:
        again.stop()


def test_a_second_session_on_one_connection_is_refused(
    serve: Serve, key_dir: Path, tmp_path: Path
) -> None:
    server = serve()
    key = make_key(key_dir, "reader")
    control = ["-o", f"ControlPath={tmp_path / 'cm'}"]
    master = server.interactive(key, options=["-o", "ControlMaster=yes", *control])
    master.wait_for_text("STUB READY")
    # The multiplexing client reports the refusal, then waits: read what it said.
    try:
        second = server.run(key, "-tt", options=["-o", "ControlMaster=no", *control], timeout=3)
        said = second.stderr
    except subprocess.TimeoutExpired as waiting:
        said = (waiting.stderr or b"").decode() if isinstance(waiting.stderr, bytes) else ""
    assert "Session open refused by peer" in said  # (the client may then connect afresh)


def test_broken_pack_stops_the_server_before_it_listens(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "pack.yaml").write_text("pack: {id: broken}\n")
    with pytest.raises(RuntimeError) as failure:
        start_serve(tmp_path / "serve", "--content", str(pack))
    assert "the content pack has problems" in str(failure.value)
    assert "pack.yaml:1" in str(failure.value)


def test_a_port_already_taken_is_named_as_the_reason_not_to_start(tmp_path: Path) -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = int(holder.getsockname()[1])
        with pytest.raises(RuntimeError) as failure:
            start_serve(tmp_path / "serve", "--port", str(port))  # the last --port wins
    message = str(failure.value)
    assert (
        f"thaw serve: cannot listen on 127.0.0.1:{port} (address already in use): "
        "pick another --port or stop what holds it." in message
    )
    assert "Traceback" not in message
