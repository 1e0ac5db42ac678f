"""`thaw serve`: host SSH reading sessions (see docs/serving.md)."""

from __future__ import annotations

import argparse
import asyncio
import errno
import logging
import os
import signal
import socket
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from thaw_tui.cli import exit_codes
from thaw_tui.sshserve.config import ConfigError, ServeConfig, config_from_args

if TYPE_CHECKING:
    import asyncssh

    from thaw_tui.sshserve.context import ServeContext
    from thaw_tui.sshserve.forkserver import ForkServer


def platform_problem() -> str | None:
    """Why `thaw serve` cannot run on this system, or None when it can.

    It watches readers' processes through pidfds (Linux 5.3 and later) and talks to its
    warm process over a SOCK_SEQPACKET socket pair."""
    if not sys.platform.startswith("linux"):
        return (
            f"thaw serve runs on Linux only (it needs os.pidfd_open and SOCK_SEQPACKET "
            f"sockets), not on {sys.platform}."
        )
    pidfd_open = getattr(os, "pidfd_open", None)
    if pidfd_open is None or not hasattr(socket, "SOCK_SEQPACKET"):
        return "thaw serve needs a Python built with os.pidfd_open and SOCK_SEQPACKET."
    try:
        os.close(pidfd_open(os.getpid()))
    except OSError as error:
        return f"thaw serve needs Linux 5.3 or later (os.pidfd_open: {error.strerror})."
    return None


def run_serve(args: argparse.Namespace) -> int:
    problem = platform_problem()
    if problem is not None:
        print(problem, file=sys.stderr)
        return exit_codes.USAGE
    if args.content:
        from thaw_tui.cli.pack_folder import pack_folder_problem

        problem = pack_folder_problem(Path(args.content).expanduser())
        if problem is not None:
            print(f"thaw serve: {problem}", file=sys.stderr)
            return exit_codes.USAGE
    try:
        config = config_from_args(args)
    except ConfigError as error:
        print(f"thaw serve: {error}", file=sys.stderr)
        return exit_codes.PROBLEMS
    from thaw_tui.cli.progress import UrlProblem

    try:
        config = with_progress_store(config, args)
    except UrlProblem as problem:
        print(f"thaw serve: {problem}", file=sys.stderr)
        return exit_codes.USAGE
    return serve(config)


def with_progress_store(config: ServeConfig, args: argparse.Namespace) -> ServeConfig:
    """`config` with the progress URL (--progress-url or $THAW_PROGRESS_URL) and what
    readers' processes need in their environment to use it. Raises UrlProblem."""
    from thaw_tui.cli.progress import progress_url
    from thaw_tui.progress.urls import reader_environment

    url = progress_url(args)
    if url is None:
        return config
    home = os.environ.get("HOME")
    env = reader_environment(url, os.environ, Path(home) if home else None)
    return replace(config, progress_url=url, reader_env=tuple(sorted(env.items())))


def prepare_progress_store(config: ServeConfig) -> None:
    """Create or upgrade the PostgreSQL tables before readers come (the first start does
    the DDL), and say where progress goes. Trouble is reported, not fatal: readers can
    still read, and each is told that their progress is not being saved."""
    if config.progress_url is None:
        return
    from thaw_tui.progress.store import ProgressStoreError, migrate_store

    try:
        print(f"thaw serve: progress: {migrate_store(config.state_dir, config.progress_url)}")
    except ProgressStoreError as error:
        print(
            f"thaw serve: progress: {error} Readers can read, but their progress is not "
            "saved until this is fixed.",
            file=sys.stderr,
        )


def serve(config: ServeConfig) -> int:
    """Prepare the state directory, host key and log, then serve until SIGINT or SIGTERM."""
    from thaw_tui.pack.load import PackError, format_report, load_pack
    from thaw_tui.sshserve.connlog import connection_logger, diagnostics_to_stderr
    from thaw_tui.sshserve.identity import fingerprint, load_or_create_host_key

    try:
        load_pack(config.content_dir)  # a broken pack is reported here, not to each reader
    except PackError as error:
        print(
            f"thaw serve: the content pack has problems (in {config.content_dir}):\n"
            f"{format_report(error.problems)}",
            file=sys.stderr,
        )
        return exit_codes.PROBLEMS
    try:
        prepare_state(config)
        host_key = load_or_create_host_key(config.host_key_path)
    except ConfigError as error:
        print(f"thaw serve: {error}", file=sys.stderr)
        return exit_codes.PROBLEMS
    except OSError as error:
        print(
            f"thaw serve: cannot prepare {config.state_dir} ({error.strerror}): "
            "pass --state-dir with a folder you can write.",
            file=sys.stderr,
        )
        return exit_codes.PROBLEMS
    diagnostics_to_stderr()
    prepare_progress_store(config)
    try:
        connections = connection_logger(config.log_file)
    except OSError as error:
        print(
            f"thaw serve: cannot write the log file {config.log_file} ({error.strerror}): "
            "pass --log-file with a file you can write.",
            file=sys.stderr,
        )
        return exit_codes.PROBLEMS
    return asyncio.run(_serve(config, host_key, fingerprint(host_key), connections))


def prepare_state(config: ServeConfig) -> None:
    """Make the state folder and the readers' home, and refuse any of them (or the list
    of readers' keys) that another user owns or can write: whoever could write them
    could choose who gets in, plant the host key, or point the readers' home elsewhere.
    Raises ConfigError with the fix, or OSError when a folder cannot be made."""
    from thaw_tui.paths import check_private
    from thaw_tui.sshserve.identity import check_authorized_keys

    problem = check_private(config.state_dir, "State folder", folder=True)
    if problem is None:
        config.state_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        problem = check_private(config.child_home, "Readers' home folder", folder=True)
    if problem is None:
        config.child_home.mkdir(exist_ok=True, mode=0o700)
        problem = check_private(config.child_home, "Readers' home folder", folder=True)
    if problem is None and config.authorized_keys_path is not None:
        problem = check_authorized_keys(config.authorized_keys_path)
    if problem is not None:
        raise ConfigError(problem)


def cannot_listen(config: ServeConfig, error: OSError) -> str:
    """The sentence for a failed listen, with the fix that matches the reason."""
    where = f"cannot listen on {config.host}:{config.port}"
    if isinstance(error, socket.gaierror):
        return f"{where}: {config.host!r} is not an address here ({error.strerror}): fix --host."
    reason = os.strerror(error.errno) if error.errno else str(error)
    if error.errno == errno.EADDRINUSE:
        fix = "pick another --port or stop what holds it."
    elif error.errno == errno.EACCES:
        fix = "ports below 1024 need privileges (see docs/serving.md); or pick another --port."
    elif error.errno == errno.EADDRNOTAVAIL:
        fix = "pass a --host this machine has, such as 127.0.0.1 or 0.0.0.0."
    else:
        fix = "check --host and --port."
    return f"{where} ({reason.lower()}): {fix}"


async def _start_warm(config: ServeConfig) -> ForkServer | None:
    """The warm process readers are forked from, or None (readers start cold) if it fails."""
    from thaw_tui.sshserve.connlog import LOGGER_NAME
    from thaw_tui.sshserve.forkserver import ForkServer, ForkServerError

    try:
        return await ForkServer.start(config)
    except ForkServerError as error:
        logging.getLogger(LOGGER_NAME).warning("%s; starting readers cold", error)
        return None


async def _serve(
    config: ServeConfig,
    host_key: asyncssh.SSHKey,
    host_fingerprint: str,
    connections: logging.Logger,
) -> int:
    from thaw_tui.sshserve.context import ServeContext
    from thaw_tui.sshserve.identity import AuthorizedKeys
    from thaw_tui.sshserve.limits import Admission
    from thaw_tui.sshserve.server import start_server

    authorized = (
        AuthorizedKeys(config.authorized_keys_path) if config.authorized_keys_path else None
    )
    context = ServeContext(
        config=config,
        admission=Admission(
            config.max_sessions,
            config.max_per_ip,
            config.rate_per_minute,
            max_handshakes=config.max_handshakes,
        ),
        logger=connections,
        authorized=authorized,
        host_errors=os.dup(2),  # where readers started cold report a crash
    )
    if config.warm and config.child_command is None:
        context.fork_server = await _start_warm(config)
    try:
        acceptor = await start_server(context, host_key)
    except OSError as error:
        if context.fork_server is not None:
            context.fork_server.close()
        print(f"thaw serve: {cannot_listen(config, error)}", file=sys.stderr)
        return exit_codes.PROBLEMS
    port = acceptor.get_port()
    context.config = replace(config, port=port)
    access = (
        "open: any key, and anonymous readers without one"
        if authorized is None
        else f"keys in {authorized.path}"
    )
    print(f"thaw serve: listening on {config.host}:{port}", flush=True)
    print(f"  host key {host_fingerprint}", flush=True)
    print(f"  readers: {access}", flush=True)
    start = "forked from a warm process" if context.fork_server else "started cold"
    print(f"  reader processes: {start}", flush=True)
    print(f"  readers connect with: ssh -p {port} read@<this host>", flush=True)

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    await stop.wait()

    acceptor.close()
    await _shut_down(context)
    if context.fork_server is not None:
        context.fork_server.close()
    print("thaw serve: stopped", flush=True)
    return exit_codes.OK


# How long connections get to close by themselves, then after being closed, at shutdown.
CLOSE_WAIT = 1.0


async def _shut_down(context: ServeContext) -> None:
    """Tell every reader the server is stopping, end their processes, and log every
    connection's line (red-team F13: sessions cut by a shutdown went unlogged)."""
    grace = context.config.timeouts.hangup_grace
    connections = list(context.connections.values())
    for server in connections:
        server.shut_down()  # a sentence and an exit status for each session
    children = list(context.children)
    for child in children:
        child.close_pty()
        child.hang_up(grace)
    if children:
        await asyncio.wait([child.exited for child in children], timeout=grace + 1)
    # Clients close on the exit status; close the rest, then log what is left.
    for attempt in range(2):
        waiting = [server.closed for server in connections if not server.closed.done()]
        if not waiting:
            break
        if attempt:
            for server in connections:
                server.close()
        await asyncio.wait(waiting, timeout=CLOSE_WAIT)
    for server in connections:
        server.log_line()
