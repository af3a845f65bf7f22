"""A cancellation stays a cancellation.

The services' background loops (the outbox relay, the schedulers, the lag sampler, the
broker's start) keep going through failures: `except Exception`, log, try again. Stopping
them is a cancellation, and a library on the way may turn it into an error (an operation
cut mid-flight answers a network error; a clean-up in an `except BaseException` raises its
own): the loop would take it for an outage and go on, and whoever waits for it to stop
(a shutdown, a test's event loop closing) waits for ever. Each such loop asks
`raise_if_cancelling` first; the periodic ones get it from `kit.loops`.
"""

import asyncio


def raise_if_cancelling(error: BaseException) -> None:
    """Raise CancelledError (from `error`) if the current task is being cancelled."""
    task = asyncio.current_task()
    if task is not None and task.cancelling():
        raise asyncio.CancelledError from error
