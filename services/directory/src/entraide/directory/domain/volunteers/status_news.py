"""The news of a new application status owed the volunteer (received, under review,
accepted, declined, paused, active again; nothing on leaving).

It is noted in the very write that changes the status, and cleared once the kit's notifier
has recorded the message (`usecases.status_news`): a crash or a notifier failing in
between leaves it noted, for the next pass. A later change of status replaces it: they are
told their latest status; leaving cancels it. Pure: no I/O."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from entraide.directory.domain.volunteers.rules import Status

# a status as `candidature-benevole` words it (the kit's APPLICATION_STATUS); leaving
# says nothing: the volunteer asked for it, and their data goes
WORDED = {
    Status.APPLIED: "submitted",
    Status.IN_REVIEW: "in-review",
    Status.APPROVED: "accepted",
    Status.DECLINED: "declined",
    Status.PAUSED: "paused",
}


def status_word(status: Status, was: Status | None) -> str | None:
    """The template's word for a change of status; None when nothing is said."""
    if status is Status.APPROVED and was is Status.PAUSED:
        return "active"
    return WORDED.get(status)


@dataclass(frozen=True)
class StatusNews:
    """The status they are to be told of, the one before it (None: a new application), the
    revision it changed at (the message's key: asked twice, sent once) and since when."""

    status: Status
    was: Status | None
    revision: int
    since: datetime

    @property
    def word(self) -> str:
        return status_word(self.status, self.was) or WORDED[self.status]

    def document(self) -> dict[str, Any]:
        """As the volunteer's document keeps it (`news_owed`)."""
        was = None if self.was is None else self.was.value
        return {
            "status": self.status.value,
            "was": was,
            "revision": self.revision,
            "since": self.since,
        }

    @classmethod
    def from_document(cls, doc: dict[str, Any]) -> "StatusNews":
        was = doc.get("was")
        return cls(
            status=Status(doc["status"]),
            was=None if was is None else Status(was),
            revision=doc["revision"],
            since=doc["since"],
        )


def owed(status: Status, was: Status | None, revision: int, now: datetime) -> StatusNews | None:
    """The news a change of status owes them; None when nothing is said (leaving)."""
    if status is was or status_word(status, was) is None:
        return None
    return StatusNews(status, was, revision, now)
