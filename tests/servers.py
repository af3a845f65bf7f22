"""Serve an ASGI app on a free loopback port, in a thread, for tests that need real HTTP
(a browser, a JWKS fetch). The app's lifespan runs in that thread's own event loop."""

import contextlib
import threading
import time
from collections.abc import Iterator
from typing import Any

import uvicorn

from tests.infra import free_port


@contextlib.contextmanager
def serve_in_thread(
    app: Any, *, name: str = "app", port: int | None = None, timeout: float = 60
) -> Iterator[str]:
    """Yield the app's base URL once uvicorn has started it; stop it on exit."""
    port = port or free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", log_config=None)
    )
    thread = threading.Thread(target=server.run, name=name, daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"{name} did not start on port {port}")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
