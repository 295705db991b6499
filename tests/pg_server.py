"""A throw-away PostgreSQL server for the tests, from the Debian package's binaries.

    python tests/pg_server.py run -- python -m pytest -q     # start, run, stop
    python tests/pg_server.py start DIR                       # prints the DSN
    python tests/pg_server.py stop DIR

The server lives in a fresh temporary folder on a free loopback port (fsync off: nothing
in it is meant to last) and is stopped afterwards, also when the command fails. The tests
get its DSN as ``DATELINE_TEST_PG`` (a superuser on the ``postgres`` database; each test
makes a database of its own). As root, the server runs as the ``postgres`` user, as
initdb requires.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

ENV = "DATELINE_TEST_PG"


def binaries() -> str | None:
    """The folder of initdb / pg_ctl (newest version first), or None."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(p.split("/")[4]) if p.split("/")[4].isdigit() else 0,
                   reverse=True)
    if found:
        return os.path.dirname(found[0])
    initdb = shutil.which("initdb")
    return os.path.dirname(initdb) if initdb else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_server_user(cmd: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return cmd
    runuser = shutil.which("runuser")
    if runuser:
        return [runuser, "-u", "postgres", "--", *cmd]
    return ["su", "postgres", "-s", "/bin/sh", "-c", " ".join(cmd)]


def start(folder: str | None = None) -> tuple[str, str]:
    """Start a server; (its folder, the DSN). Raises RuntimeError when it cannot."""
    bindir = binaries()
    if bindir is None:
        raise RuntimeError("PostgreSQL is not installed (apt-get install postgresql)")
    folder = folder or tempfile.mkdtemp(prefix="dateline-pg-")
    os.makedirs(folder, exist_ok=True)
    os.chmod(folder, 0o755)
    data = os.path.join(folder, "data")
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    init = subprocess.run(_as_server_user([
        os.path.join(bindir, "initdb"), "-D", data, "-A", "trust", "-U", "postgres",
        "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]), capture_output=True, text=True)
    if init.returncode != 0:
        raise RuntimeError(f"initdb failed: {init.stderr.strip() or init.stdout.strip()}")
    port = _free_port()
    options = (f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off "
               "-c synchronous_commit=off -c full_page_writes=off -c max_connections=400 "
               "-c shared_buffers=128MB")
    run = subprocess.run(_as_server_user([
        os.path.join(bindir, "pg_ctl"), "-D", data, "-o", options, "-l",
        os.path.join(folder, "server.log"), "-w", "-t", "60", "start"]),
        capture_output=True, text=True)
    if run.returncode != 0:
        log = ""
        try:
            with open(os.path.join(folder, "server.log")) as fh:
                log = fh.read()[-2000:]
        except OSError:
            pass
        raise RuntimeError(f"pg_ctl start failed: {run.stderr.strip()} {log}")
    dsn = f"postgresql://postgres@127.0.0.1:{port}/postgres"
    with open(os.path.join(folder, "dsn"), "w") as fh:
        fh.write(dsn)
    return folder, dsn


def stop(folder: str) -> None:
    bindir = binaries()
    data = os.path.join(folder, "data")
    if bindir and os.path.isdir(data):
        subprocess.run(_as_server_user([os.path.join(bindir, "pg_ctl"), "-D", data, "-m",
                                         "immediate", "-w", "stop"]), capture_output=True)
    shutil.rmtree(folder, ignore_errors=True)


def main(argv: list[str]) -> int:
    if argv[:1] == ["start"]:
        folder, dsn = start(argv[1] if len(argv) > 1 else None)
        print(dsn)
        return 0
    if argv[:1] == ["stop"] and len(argv) > 1:
        stop(argv[1])
        return 0
    if argv[:1] == ["run"]:
        cmd = argv[argv.index("--") + 1:] if "--" in argv else argv[1:]
        env = dict(os.environ)
        folder = None
        try:
            folder, dsn = start()
            env[ENV] = dsn
            print(f"pg_server: PostgreSQL for the tests at {dsn}", flush=True)
        except RuntimeError as exc:
            print(f"pg_server: no PostgreSQL for the tests ({exc}); its tests skip",
                  flush=True)
            env[ENV + "_ERROR"] = str(exc)
        try:
            started = time.monotonic()
            code = subprocess.call(cmd, env=env)
            del started
            return code
        finally:
            if folder:
                stop(folder)
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
