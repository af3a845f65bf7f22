"""Where the tests find Kafka and the document store.

In order: endpoints given in the environment (ENTRAIDE_KAFKA_BOOTSTRAP and
ENTRAIDE_MONGODB_URI), else testcontainers where a Docker engine answers, else the real
local processes of deploy/ (Kafka and the document store, mongo-java-server, both from
their Maven Central jars). What this module starts, it stops; what was already running
stays running. The shared store runs its memory backend (fast; the suite's data is
throwaway); `throwaway_store` runs the durable H2 backend for the tests that kill it.
"""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from entraide.kit.settings import ServiceSettings

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / "deploy" / "bin"
SESSION_STATE = ROOT / ".run" / "test-session"  # brokers and stores a test session starts
S = TypeVar("S", bound=ServiceSettings)


@dataclass(frozen=True)
class Endpoints:
    kafka_bootstrap: str
    mongodb_uri: str
    origin: str


def port_open(host: str, port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


_HANDED_OUT: set[int] = set()


def free_port() -> int:
    """A port free now and never handed out before in this session: the kernel may give the
    same free port twice in a row (two services of one test were once both given 48225, and
    the second one's server never started)."""
    while True:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = int(sock.getsockname()[1])
        if port not in _HANDED_OUT:
            _HANDED_OUT.add(port)
            return port


def docker_answers() -> bool:
    if shutil.which("docker") is None:
        return False
    result = subprocess.run(["docker", "info"], capture_output=True, timeout=20, check=False)
    return result.returncode == 0


def run_script(name: str, *args: str, env: dict[str, str] | None = None) -> None:
    subprocess.run([str(BIN / name), *args], check=True, env={**os.environ, **(env or {})})


def apply_topics(bootstrap: str) -> None:
    subprocess.run(
        [sys.executable, str(ROOT / "deploy" / "topics.py"), "--bootstrap", bootstrap],
        check=True,
        capture_output=True,
    )


def settings_on(cls: type[S], ends: Endpoints, name: str, **extra: Any) -> S:
    """A service's settings on these endpoints, with a database and consumer groups of its
    own named after `name`, so tests and benchmarks never share state."""
    values = {
        "kafka_bootstrap": ends.kafka_bootstrap,
        "mongodb_uri": ends.mongodb_uri,
        "database": name,
        "consumer_group_prefix": name,
    } | extra
    return cls(**values)


@contextlib.contextmanager
def _local_processes() -> Iterator[Endpoints]:
    kafka_port = int(os.environ.get("ENTRAIDE_KAFKA_PORT", "9092"))
    mongo_port = int(os.environ.get("ENTRAIDE_MONGODB_PORT", "27017"))
    # What a session starts is its own: state apart from `make up`'s (.run/), purged at the
    # end, so the next session's broker starts empty instead of recovering every earlier
    # session's topics and consumer groups (minutes on a busy machine).
    state = {"ENTRAIDE_STATE_DIR": os.environ.get("ENTRAIDE_STATE_DIR", str(SESSION_STATE))}
    started: list[str] = []
    if not port_open("127.0.0.1", kafka_port):
        run_script("kafka-down", "--purge", env=state)  # what a killed session left
        run_script("kafka-up", env=state)
        started.append("kafka-down")
    if not port_open("127.0.0.1", mongo_port):
        # the suite's databases all stay in memory until the end (about 1.4 GB seen)
        run_script(
            "store-up",
            env=state
            | {
                "ENTRAIDE_STORE_BACKEND": os.environ.get("ENTRAIDE_STORE_BACKEND", "memory"),
                "ENTRAIDE_STORE_HEAP_OPTS": os.environ.get(
                    "ENTRAIDE_STORE_HEAP_OPTS", "-Xms64m -Xmx4g"
                ),
            },
        )
        started.append("store-down")
    try:
        yield Endpoints(
            f"127.0.0.1:{kafka_port}",
            f"mongodb://127.0.0.1:{mongo_port}",
            "local processes of deploy/",
        )
    finally:
        for stop in started:
            run_script(stop, "--purge", env=state)


@contextlib.contextmanager
def _containers() -> Iterator[Endpoints]:
    from testcontainers.kafka import KafkaContainer
    from testcontainers.mongodb import MongoDbContainer

    with (
        KafkaContainer("apache/kafka:4.1.1").with_kraft() as kafka,
        MongoDbContainer("mongo:8") as mongo,
    ):
        yield Endpoints(kafka.get_bootstrap_server(), mongo.get_connection_url(), "testcontainers")


@contextlib.contextmanager
def endpoints() -> Iterator[Endpoints]:
    """The one fixture's source: environment, else testcontainers, else deploy/ processes."""
    kafka, mongo = (
        os.environ.get("ENTRAIDE_KAFKA_BOOTSTRAP"),
        os.environ.get("ENTRAIDE_MONGODB_URI"),
    )
    if kafka and mongo:
        found = contextlib.nullcontext(Endpoints(kafka, mongo, "environment"))
    elif docker_answers():
        found = _containers()
    else:
        found = _local_processes()
    with found as ends:
        apply_topics(ends.kafka_bootstrap)
        yield ends


@contextlib.contextmanager
def throwaway_kafka(state_dir: Path) -> Iterator[tuple[str, "KafkaControl"]]:
    """A second real broker on free ports, for tests that take Kafka down and back up."""
    control = KafkaControl(state_dir, free_port(), free_port())
    try:
        yield f"127.0.0.1:{control.port}", control
    finally:
        control.down(purge=True)


@dataclass
class KafkaControl:
    state_dir: Path
    port: int
    controller_port: int

    @property
    def env(self) -> dict[str, str]:
        return {
            "ENTRAIDE_STATE_DIR": str(self.state_dir),
            "ENTRAIDE_KAFKA_PORT": str(self.port),
            "ENTRAIDE_KAFKA_CONTROLLER_PORT": str(self.controller_port),
        }

    def up(self) -> None:
        run_script("kafka-up", env=self.env)
        apply_topics(f"127.0.0.1:{self.port}")

    def down(self, *, purge: bool = False) -> None:
        run_script("kafka-down", *(["--purge"] if purge else []), env=self.env)

    def pid(self) -> int:
        return int((self.state_dir / f"kafka-{self.port}" / "kafka.pid").read_text())

    def kill(self) -> None:
        """kill -9 the broker, as a crashed node: no clean shutdown, no flushed log."""
        kill_and_wait(self.pid())

    def processes(self) -> list[str]:
        """Live processes whose command line names this broker's state directory."""
        found = subprocess.run(
            ["pgrep", "-f", str(self.state_dir)], capture_output=True, text=True, check=False
        )
        return found.stdout.split()


def kill_and_wait(pid: int, sig: signal.Signals = signal.SIGKILL, timeout: float = 30) -> None:
    """Send `sig` to one process we started and wait until it is gone."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, sig)
    deadline = time.monotonic() + timeout
    while _alive(pid):
        if time.monotonic() > deadline:
            raise AssertionError(f"process {pid} still alive {timeout}s after {sig.name}")
        time.sleep(0.1)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state != "Z"


@contextlib.contextmanager
def throwaway_store(state_dir: Path, backend: str = "h2") -> Iterator[tuple[str, "StoreControl"]]:
    """A second document store on a free port, for tests that stop or kill it: the durable
    H2 backend by default, so what it acknowledged survives a kill -9."""
    control = StoreControl(state_dir, free_port(), backend)
    control.up()
    try:
        yield f"mongodb://127.0.0.1:{control.port}", control
    finally:
        control.down(purge=True)


@dataclass
class StoreControl:
    state_dir: Path
    port: int
    backend: str = "h2"

    @property
    def env(self) -> dict[str, str]:
        return {
            "ENTRAIDE_STATE_DIR": str(self.state_dir),
            "ENTRAIDE_MONGODB_PORT": str(self.port),
            "ENTRAIDE_STORE_BACKEND": self.backend,
        }

    def up(self) -> None:
        run_script("store-up", env=self.env)

    def down(self, *, purge: bool = False) -> None:
        run_script("store-down", *(["--purge"] if purge else []), env=self.env)

    def kill(self) -> None:
        """kill -9 the store: connections drop, nothing is flushed politely."""
        kill_and_wait(int((self.state_dir / f"store-{self.port}" / "store.pid").read_text()))


@dataclass
class ServiceProcess:
    """One service as a real process (`python -m entraide.<service>`), its output in `log`."""

    service: str
    env: dict[str, str]
    log: Path
    proc: "subprocess.Popen[bytes] | None" = None

    def start(self) -> "ServiceProcess":
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", f"entraide.{self.service}"],
                env={**os.environ, **self.env},
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        return self

    def kill(self) -> None:
        """kill -9: in-flight messages are neither finished nor committed."""
        assert self.proc is not None
        self.proc.kill()
        self.proc.wait(timeout=30)

    def stop(self, timeout: float = 30) -> int:
        """SIGTERM and wait: uvicorn finishes in-flight work, then exits."""
        assert self.proc is not None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            raise
