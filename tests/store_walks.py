"""Counting a store's walks in a test: the finds of each collection not by `_id` (one id
or a list of them), which a periodic pass should make once per collection, never once
per chunk (on mongo-java-server each is a scan of the collection)."""

from collections import Counter
from typing import Any

from pymongo import monitoring


class Walks(monitoring.CommandListener):
    """Pass it to the client (`event_listeners=[walks]`); `by_collection` counts."""

    def __init__(self) -> None:
        self.by_collection: Counter[str] = Counter()

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        if event.command_name == "find":
            ids = event.command.get("filter", {}).get("_id")
            if ids is None or (isinstance(ids, dict) and "$in" not in ids):
                self.by_collection[event.command["find"]] += 1

    def succeeded(self, event: Any) -> None:
        pass

    def failed(self, event: Any) -> None:
        pass
