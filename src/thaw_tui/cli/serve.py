"""`thaw serve`: host SSH reading sessions (see docs/serving.md)."""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
from dataclasses import replace
from typing import TYPE_CHECKING

from thaw_tui.cli import exit_codes
from thaw_tui.sshserve.config import ConfigError, ServeConfig, config_from_args

if TYPE_CHECKING:
    import asyncssh


def run_serve(args: argparse.Namespace) -> int:
    try:
        config = config_from_args(args)
    except ConfigError as error:
        print(f"thaw serve: {error}", file=sys.stderr)
        return exit_codes.PROBLEMS
    return serve(config)


def serve(config: ServeConfig) -> int:
    """Prepare the state directory and host key, then serve until SIGINT or SIGTERM."""
    import asyncssh

    from thaw_tui.pack.load import PackError, format_report, load_pack
    from thaw_tui.sshserve.identity import fingerprint, load_or_create_host_key

    try:
        load_pack(config.content_dir)  # a broken pack is reported here, not to each reader
    except PackError as error:
        print(
            f"thaw serve: the content pack has problems:\n{format_report(error.problems)}",
            file=sys.stderr,
        )
        return exit_codes.PROBLEMS
    try:
        config.state_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        config.child_home.mkdir(exist_ok=True, mode=0o700)
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
    try:
        return asyncio.run(_serve(config, host_key, fingerprint(host_key)))
    except (OSError, asyncssh.Error) as error:
        print(
            f"thaw serve: cannot listen on {config.host}:{config.port} ({error}): "
            "pick another --port or stop what holds it.",
            file=sys.stderr,
        )
        return exit_codes.PROBLEMS


async def _serve(config: ServeConfig, host_key: asyncssh.SSHKey, host_fingerprint: str) -> int:
    from thaw_tui.sshserve.connlog import connection_logger
    from thaw_tui.sshserve.context import ServeContext
    from thaw_tui.sshserve.identity import AuthorizedKeys
    from thaw_tui.sshserve.limits import Admission
    from thaw_tui.sshserve.server import start_server

    authorized = (
        AuthorizedKeys(config.authorized_keys_path) if config.authorized_keys_path else None
    )
    context = ServeContext(
        config=config,
        admission=Admission(config.max_sessions, config.max_per_ip, config.rate_per_minute),
        logger=connection_logger(config.log_file),
        authorized=authorized,
    )
    if config.warm and config.child_command is None:
        from thaw_tui.sshserve.forkserver import ForkServer, ForkServerError

        try:
            context.fork_server = await ForkServer.start(config)
        except ForkServerError as error:
            print(f"thaw serve: {error}; starting readers cold", file=sys.stderr)
    acceptor = await start_server(context, host_key)
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
    children = list(context.children)
    for child in children:
        child.close_pty()
        child.hang_up(config.timeouts.hangup_grace)
    if children:
        await asyncio.wait(
            [child.exited for child in children], timeout=config.timeouts.hangup_grace + 1
        )
    if context.fork_server is not None:
        context.fork_server.close()
    print("thaw serve: stopped", flush=True)
    return exit_codes.OK
