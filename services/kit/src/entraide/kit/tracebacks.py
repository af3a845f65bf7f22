"""A traceback as Python prints it, causes and contexts included, less every exception's
text: an exception's message may hold what a person sent (a validation error quotes its
input; a library's error, a value). Logs (`logs.FramesOnly`) and spans
(`telemetry.ExceptionTextDropper`) keep where it failed and what failed, not what it said.
Pure: no I/O."""

import traceback

CAUSE = "\nThe above exception was the direct cause of the following exception:\n\n"
CONTEXT = "\nDuring handling of the above exception, another exception occurred:\n\n"


def kind_of(exc: BaseException) -> str:
    """`module.Type` of an exception."""
    kind = type(exc)
    return f"{kind.__module__}.{kind.__qualname__}"


def frames(exc: BaseException) -> str:
    """The traceback of `exc` and of what caused it, each exception by its type only."""
    return "".join(_lines(exc, set())).rstrip("\n")


def _lines(exc: BaseException | None, seen: set[int]) -> list[str]:
    if exc is None or id(exc) in seen:
        return []
    seen.add(id(exc))
    earlier: list[str] = []
    if exc.__cause__ is not None:
        earlier = [*_lines(exc.__cause__, seen), CAUSE]
    elif exc.__context__ is not None and not exc.__suppress_context__:
        earlier = [*_lines(exc.__context__, seen), CONTEXT]
    return [
        *earlier,
        "Traceback (most recent call last):\n",
        *traceback.format_tb(exc.__traceback__),
        f"{kind_of(exc)} (its text is not recorded)\n",
    ]
