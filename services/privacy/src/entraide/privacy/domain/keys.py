"""What the key vault answers about keys: a subject's traces, a batch's outcome."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class KeyTrace:
    """A service's key naming a subject (not a case's own key): its kind, and whether live."""

    kind: str
    live: bool


@dataclass(frozen=True)
class Batch:
    """What a batch creation gave: every live key asked for, which of them it created,
    and the ids refused because their key was destroyed."""

    keys: dict[str, bytes] = field(default_factory=dict)
    created: set[str] = field(default_factory=set)
    destroyed: set[str] = field(default_factory=set)
