"""deploy/bin/check-prerequisites on a PATH made for each case: stub tools that answer
their version, the few coreutils the script needs, nothing else. It lists everything that
is missing at once, names the versions it wants, finds a taken port, and is fast."""

import shutil
import socket
import stat
import subprocess
import time
from pathlib import Path

import pytest

from tests.infra import ROOT

SCRIPT = ROOT / "deploy" / "bin" / "check-prerequisites"
COREUTILS = ["bash", "sed", "dirname", "readlink", "id", "timeout", "cat", "tr", "env"]

STUBS = {
    "python3": 'case "$1" in -c) echo "${PY_VERSION:-3.11}";; -m) exit 0;; esac',
    "node": 'echo "v${NODE_VERSION:-20.11.0}"',
    "npm": "exit 0",
    "make": "exit 0",
    "curl": "exit 0",
    "git": "exit 0",
    "java": 'echo "openjdk version \\"${JAVA_VERSION:-17.0.15}\\" 2025-04-15" >&2',
    "javac": "exit 0",
    "mvn": "exit 0",
    "go": 'echo "go${GO_VERSION:-1.26.8}"',
    "chromium": "exit 0",
    "kcat": "exit 0",
}


# port 1 (tcpmux): nothing listens there, so up's port check passes
NOTHING_LISTENS = {
    f"ENTRAIDE_{name}_PORT": "1"
    for name in (
        "KAFKA",
        "KAFKA_CONTROLLER",
        "MONGODB",
        "DEVISSUER",
        "DIRECTORY",
        "INTAKE",
        "MATCHING",
        "PRIVACY",
        "OBSERVATORY",
    )
}


def path_with(tmp_path: Path, *tools: str) -> Path:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in COREUTILS:
        found = shutil.which(tool)
        assert found, tool
        (bin_dir / tool).symlink_to(found)
    for tool in tools:
        stub = bin_dir / tool
        stub.write_text(f"#!/bin/sh\n{STUBS[tool]}\n")
        stub.chmod(stub.stat().st_mode | stat.S_IXUSR)
    return bin_dir


def check(bin_dir: Path, mode: str, **env: str) -> subprocess.CompletedProcess[str]:
    home = bin_dir.parent / "home"
    home.mkdir(exist_ok=True)
    return subprocess.run(
        ["/bin/bash", str(SCRIPT), mode],
        env={
            "PATH": str(bin_dir),
            "HOME": str(home),
            "ENTRAIDE_CACHE": str(home / "cache"),
            "ENTRAIDE_STATE_DIR": str(home / "run"),
            "ENTRAIDE_NO_DOCKER": "1",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


def test_everything_missing_is_listed_at_once(tmp_path: Path) -> None:
    done = check(path_with(tmp_path), "test")
    assert done.returncode == 1
    for wanted in (
        "Python 3.11 or later",
        "Node.js 18+ with npm",
        "make:",
        "curl:",
        "git:",
        "Java 17+",
        "Maven",
        "Go 1.26 or later",  # deploy/tools/go.mod's go line
        "chromium",
        "kcat",
    ):
        assert wanted in done.stderr, wanted


def test_all_there_says_ok_fast(tmp_path: Path) -> None:
    bin_dir = path_with(tmp_path, *STUBS)
    started = time.monotonic()
    done = check(bin_dir, "test")
    assert done.returncode == 0, done.stderr
    assert time.monotonic() - started < 2
    assert "check-prerequisites (test): ok" in done.stdout
    assert "uv: not installed yet, make installs it with pip" in done.stdout


@pytest.mark.parametrize(
    ("env", "said"),
    [
        ({"PY_VERSION": "3.10"}, "Python 3.11 or later"),
        ({"NODE_VERSION": "16.20.2"}, "Node.js 18 or later (found 16.20.2)"),
        ({"JAVA_VERSION": "11.0.2"}, "Java 17 or later (found 11)"),
        ({"GO_VERSION": "1.22.5"}, "Go 1.26 or later (found 1.22.5"),
    ],
)
def test_too_old_is_named_with_what_was_found(
    tmp_path: Path, env: dict[str, str], said: str
) -> None:
    done = check(path_with(tmp_path, *STUBS), "test", **env)
    assert done.returncode == 1
    assert said in done.stderr


def test_base_does_not_ask_for_java_or_go(tmp_path: Path) -> None:
    bin_dir = path_with(tmp_path, "python3", "node", "npm", "make", "curl", "git")
    assert check(bin_dir, "base").returncode == 0
    assert "Go " in check(bin_dir, "test").stderr


def test_up_finds_a_port_taken_by_another_program(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        ports = NOTHING_LISTENS | {"ENTRAIDE_INTAKE_PORT": port}
        done = check(path_with(tmp_path, *STUBS), "up", **ports)
    assert done.returncode == 1
    assert f"port 127.0.0.1:{port} (for intake (ENTRAIDE_INTAKE_PORT)) is taken" in done.stderr
    assert "ENTRAIDE_INTAKE_PORT to a free port" in done.stderr


def test_maven_is_not_needed_once_the_jars_are_cached(tmp_path: Path) -> None:
    bin_dir = path_with(tmp_path, *(t for t in STUBS if t not in {"mvn", "javac"}))
    cache = tmp_path / "home" / "cache"
    (cache / "store-abc").mkdir(parents=True)
    (cache / "store-abc" / ".complete").touch()
    (cache / "kafka-4.4.0").mkdir()
    (cache / "kafka-4.4.0" / "libs.complete").touch()
    done = check(bin_dir, "up", **NOTHING_LISTENS)
    assert done.returncode == 0, done.stderr
