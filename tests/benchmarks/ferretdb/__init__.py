"""FerretDB 1.24.2 (SQLite backend), kept only as the store benchmark's point of comparison:
the project's store is mongo-java-server (deploy/mongo), and `make up` / `make test` never
start FerretDB.

The Go wrapper beside this file (main.go, go.mod, go.sum: FerretDB's embeddable package) is
built with `go build` from the Go module proxy, once per content hash, into
`${ENTRAIDE_CACHE:-~/.cache/entraide}/ferretdb-v1.24.2-<hash>/ferretdb` (about a minute the
first time). `throwaway_ferretdb(state_dir)` starts it on a free port with its SQLite files
under `state_dir`, and stops it afterwards.
"""

import contextlib
import fcntl
import hashlib
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tests.infra import free_port, kill_and_wait

VERSION = "v1.24.2"
HERE = Path(__file__).resolve().parent
HOST = "127.0.0.1"


def cache_root() -> Path:
    return Path(os.environ.get("ENTRAIDE_CACHE", Path.home() / ".cache" / "entraide"))


def _built() -> Path:
    digest = hashlib.sha256()
    for name in ("go.mod", "go.sum", "main.go"):
        digest.update((HERE / name).read_bytes())
    return cache_root() / f"ferretdb-{VERSION}-{digest.hexdigest()[:16]}" / "ferretdb"


def available() -> bool:
    """Built already, or Go is here to build it."""
    return _built().exists() or shutil.which("go") is not None


def binary() -> Path:
    """The wrapper's binary, built from the module proxy if this content was never built."""
    built = _built()
    home = built.parent
    if built.exists():
        return built
    if shutil.which("go") is None:
        raise RuntimeError("go is not installed: it is needed once to build FerretDB")
    home.mkdir(parents=True, exist_ok=True)
    with (home / ".build.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one build per hash, even from parallel runs
        if not built.exists():
            tmp = home / f".ferretdb.tmp.{os.getpid()}"
            subprocess.run(
                ["go", "build", "-trimpath", "-o", str(tmp), "."],
                cwd=HERE,
                check=True,
                capture_output=True,
            )
            tmp.replace(built)
    return built


@dataclass
class FerretDB:
    """One FerretDB process on `port`, its SQLite files and log in `state_dir`."""

    state_dir: Path
    port: int = field(default_factory=free_port)
    proc: "subprocess.Popen[bytes] | None" = None

    @property
    def uri(self) -> str:
        return f"mongodb://{HOST}:{self.port}"

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def up(self, timeout: float = 60) -> None:
        exe = binary()
        (self.state_dir / "sqlite").mkdir(parents=True, exist_ok=True)
        with (self.state_dir / "ferretdb.log").open("ab") as log:
            self.proc = subprocess.Popen(
                [exe, "-listen", f"{HOST}:{self.port}", "-sqlite-dir",
                 str(self.state_dir / "sqlite"), "-log-level", "warn"],
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        self._wait_ready(timeout)

    def _wait_ready(self, timeout: float) -> None:
        from pymongo import MongoClient

        deadline = time.monotonic() + timeout
        while True:
            assert self.proc is not None
            if self.proc.poll() is not None:
                raise RuntimeError(f"ferretdb exited at start: see {self.state_dir}/ferretdb.log")
            try:
                with MongoClient(self.uri, serverSelectionTimeoutMS=500) as client:
                    client.admin.command("ping")
                return
            except Exception:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def kill(self) -> None:
        """kill -9, as a crash: nothing flushed politely."""
        assert self.proc is not None
        kill_and_wait(self.proc.pid)
        self.proc.wait(timeout=10)

    def down(self, grace: float = 15) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)


@contextlib.contextmanager
def throwaway_ferretdb(state_dir: Path) -> Iterator[FerretDB]:
    """FerretDB on a free port with its data under `state_dir`; stopped and removed after."""
    server = FerretDB(state_dir)
    server.up()
    try:
        yield server
    finally:
        server.down()
        shutil.rmtree(state_dir, ignore_errors=True)
