"""A misbehaving partner, as a process of its own: signed events to intake's HTTP door as
fast as it can over CONNECTIONS keep-alive connections, `Retry-After` ignored, until stopped
(SIGTERM). It prints `flooding` once its connections are open, then its answers' status
counts as one JSON line when it stops.

The client is a few lines of raw HTTP/1.1 over asyncio streams, the events built before
it starts: on this machine the flooder shares the CPU with intake, and an HTTP library's
own cost per request would slow intake down more than a remote flooder would.

    python -m tests.benchmarks.flood HOST PORT KEY SECRET SOURCE CONNECTIONS
"""

import asyncio
import json
import signal
import sys
import time
import uuid
from collections import Counter

from entraide.intake.domain import partners
from tests.integration.test_partner_doors import partner_event

PREBUILT = 2000  # distinct events, sent in turn (an admitted resend answers 200)


def event(source: str, n: int) -> bytes:
    """A partner event whose parent is nobody else's (no possible duplicate to flag)."""
    digits = f"{n:08d}"
    parent = {
        "first_name": "Parent",
        "last_name": f"Bench{digits}",
        "phone": "06 " + " ".join(digits[i : i + 2] for i in range(0, 8, 2)),
        "email": f"parent-{digits}@example.org",
    }
    return partner_event(source, uuid.uuid4().hex, parent=parent)


def request(host: str, key: str, secret: str, body: bytes) -> bytes:
    stamp = str(int(time.time()))
    head = (
        f"POST /api/v1/partner-events HTTP/1.1\r\nHost: {host}\r\n"
        "Content-Type: application/cloudevents+json\r\n"
        f"Content-Length: {len(body)}\r\nX-Entraide-Partner: {key}\r\n"
        f"X-Entraide-Timestamp: {stamp}\r\n"
        f"X-Entraide-Signature: {partners.signature(secret, stamp, body)}\r\n\r\n"
    )
    return head.encode() + body


async def answer_status(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    length = next(
        (int(line.split(":", 1)[1]) for line in lines if line.lower().startswith("content-length")),
        0,
    )
    await reader.readexactly(length)
    return int(lines[0].split(" ", 2)[1])


async def flood(host: str, port: int, key: str, secret: str, source: str, n: int) -> None:
    bodies = [event(source, 50_000_000 + i) for i in range(PREBUILT)]
    statuses: Counter[int] = Counter()
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    streams = [await asyncio.open_connection(host, port) for _ in range(n)]
    print("flooding", flush=True)
    started = time.perf_counter()

    async def one_connection(
        reader: asyncio.StreamReader, writer: asyncio.StreamWriter, sent: int
    ) -> None:
        while not stop.is_set():
            writer.write(request(host, key, secret, bodies[sent % PREBUILT]))
            sent += 1
            try:
                statuses[await answer_status(reader)] += 1
            except (asyncio.IncompleteReadError, ConnectionError):
                statuses[0] += 1
                reader, writer = await asyncio.open_connection(host, port)
        writer.close()

    offsets = [i * PREBUILT // n for i in range(n)]
    await asyncio.gather(
        *[one_connection(r, w, o) for (r, w), o in zip(streams, offsets, strict=True)]
    )
    seconds = time.perf_counter() - started
    print(json.dumps({"statuses": statuses, "seconds": seconds}), flush=True)


if __name__ == "__main__":
    host, port, key, secret, source, connections = sys.argv[1:7]
    asyncio.run(flood(host, int(port), key, secret, source, int(connections)))
