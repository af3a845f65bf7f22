"""A volunteer as the use cases change them: sealed identity, what they offer, the
association's review; each change queues the events it announces (see `offers.offer`).
Pure: no I/O."""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from entraide.contracts import new_event
from entraide.contracts.events import HonorabilityCheck, RectificationCompleted
from entraide.directory.domain.records import SOURCE, Outgoing, Tombstone
from entraide.directory.domain.volunteers import rules
from entraide.directory.domain.volunteers.application_events import application_event, check_state
from entraide.directory.domain.volunteers.rules import Honorability, Status
from entraide.directory.domain.volunteers.status_news import StatusNews, owed


@dataclass
class Volunteer:
    """A volunteer: sealed identity, what they offer, the association's review."""

    id: str
    volunteer_ref: str
    association_id: str
    identity: dict[str, str]  # sealed with the volunteer's own key (`sealing`)
    code_postal: str
    needs: list[str]
    availability: list[dict[str, Any]]
    languages: list[str]
    skills: list[str]
    capacity: int
    active_families: int
    status: Status
    honorability: Honorability
    revision: int
    applied_at: datetime
    updated_at: datetime
    honorability_valid_until: date | None = None
    approved_at: datetime | None = None  # first approval (the observatory's time to approval)
    written_language: str = "fr"  # the public pages' language they applied in: their messages'
    # privacy's rectification cases flagged on the record (noted beside it, never rewritten
    # by its writes), those a correction acts on: its write takes their flags off and notes
    # them done; and those done, never flagged again (a command delivered again)
    rectifications: list[str] = field(default_factory=list, compare=False)
    rectified: list[str] = field(default_factory=list, compare=False)
    rectifications_done: list[str] = field(default_factory=list, compare=False)
    # the news of their status still owed them (`status_news`), and whether this change noted
    # or cancelled it: its write stores it then (a write changing no status leaves it)
    news_owed: StatusNews | None = field(default=None, compare=False)
    news_noted: bool = field(default=False, compare=False)
    read_revision: int | None = field(default=None, compare=False)
    events: list[Outgoing] = field(default_factory=list, compare=False)

    def at_capacity(self, supporting: int) -> bool:
        """Supporting as many families as they offered to: matching proposes them none."""
        return supporting >= self.capacity

    def check_on(self, today: date) -> HonorabilityCheck:
        """Their honorability check on the day: matching proposes a volunteer to no family
        unless it is valid, that is dated today or later (its `rules.support_unfit`)."""
        if self.honorability is Honorability.CLEARED and self.honorability_valid_until is None:
            return HonorabilityCheck.NONE  # no date: matching reads it as missing
        return check_state(self.honorability, self.honorability_valid_until, today)

    def change(self, changes: dict[str, Any], now: datetime) -> None:
        """The association's review or update; announced once the volunteer is approved
        (TransitionError when the status may not follow)."""
        was, before = self.status, self._application()
        values = {k: v for k, v in changes.items() if v is not None and k != "status"}
        if "honorability" in values:
            values["honorability"] = Honorability(values["honorability"])
        for name in values.keys() & CHANGEABLE:
            setattr(self, name, values[name])
        if values.keys() & {"honorability", "honorability_valid_until"}:
            given = values.get("honorability_valid_until")
            self.honorability_valid_until = rules.honorability_valid_until(
                self.honorability,
                given=date.fromisoformat(given) if isinstance(given, str) else given,
                today=now.date(),
            )
        if changes.get("status") and changes["status"] != self.status:
            self.status = rules.change_status(
                self.status, Status(changes["status"]), self.honorability
            )
            if self.status is Status.APPROVED and self.approved_at is None:
                self.approved_at = now
        self.revision, self.updated_at = self.revision + 1, now
        if self.status is not was:
            self.owe_news(was, now)
        if self._application() != before:
            self.announce_application(now)
        if rules.announced(self.status) and (
            rules.announced(was) or self.status is Status.APPROVED
        ):
            event = rules.availability_event(self.state(), at=now)
            self.events.append(new_event(event, source=SOURCE, subject=self.volunteer_ref))
            if self.status is Status.LEFT:
                self.events.append(Tombstone(self.volunteer_ref))

    def correct(
        self, identity: dict[str, str], code_postal: str, now: datetime, *, changed: bool
    ) -> list[str]:
        """Their association corrected who they are and where they live with them (sealed
        `identity`): matching hears where they now are if it hears of them; if anything
        `changed`, privacy hears each rectification case flagged on the record is done (case
        and reference only), once per case. Returns the cases left flagged because nothing
        changed: they wait for a correction or the officer's decision (a flag come back for
        a case done goes)."""
        self.identity, self.code_postal = identity, code_postal
        self.revision, self.updated_at = self.revision + 1, now
        if rules.announced(self.status) and self.status is not Status.LEFT:
            event = rules.availability_event(self.state(), at=now)
            self.events.append(new_event(event, source=SOURCE, subject=self.volunteer_ref))
        if not changed:
            self.rectified = [c for c in self.rectifications if c in self.rectifications_done]
            return [c for c in self.rectifications if c not in self.rectifications_done]
        self.rectified = list(self.rectifications)
        for case_id in (c for c in self.rectified if c not in self.rectifications_done):
            done = RectificationCompleted(
                case_id=case_id, subject_ref=self.volunteer_ref, service=SERVICE, completed_at=now
            )
            self.events.append(new_event(done, source=SOURCE, subject=self.volunteer_ref))
        return []

    def owe_news(self, was: Status | None, now: datetime) -> None:
        """Note the news of their status as it now is (`was`: None for a new application),
        replacing any news not yet told; none on leaving."""
        self.news_owed, self.news_noted = owed(self.status, was, self.revision, now), True

    def announce_application(self, now: datetime) -> None:
        """Queue the application's state for the observatory (its own topic): on applying,
        and on each change of status or of the honorability check."""
        event = application_event(self.state(), at=now)
        self.events.append(new_event(event, source=SOURCE, subject=self.volunteer_ref))

    def _application(self) -> tuple[object, ...]:
        return (self.status, self.honorability, self.honorability_valid_until)

    def announce_again(self, now: datetime) -> bool:
        """A new revision announcing the volunteer as they stand (the event gained a field
        since the last announcement); False when matching is not to hear of them."""
        if not rules.announced(self.status) or self.status is Status.LEFT:
            return False
        self.revision, self.updated_at = self.revision + 1, now
        event = rules.availability_event(self.state(), at=now)
        self.events.append(new_event(event, source=SOURCE, subject=self.volunteer_ref))
        return True

    def state(self) -> dict[str, Any]:
        """The volunteer as stored and shown to their association's staff."""
        return {
            "_id": self.id,
            **{name: getattr(self, name) for name in STATE if name != "_id"},
            "status": self.status.value,
            "honorability": self.honorability.value,
            "honorability_valid_until": (
                self.honorability_valid_until.isoformat() if self.honorability_valid_until else None
            ),
        }

    @classmethod
    def from_state(cls, doc: dict[str, Any]) -> "Volunteer":
        """The volunteer read back from `state()` (extra keys are ignored)."""
        values: dict[str, Any] = {name: doc.get(name) for name in STATE if name != "_id"}
        values |= {
            "rectifications": list(doc.get("rectifications") or []),
            "rectifications_done": list(doc.get("rectifications_done") or []),
            "skills": doc.get("skills") or [],
            "active_families": doc.get("active_families") or 0,
            "written_language": written_language_of(doc),
            "status": Status(doc["status"]),
            "honorability": Honorability(doc["honorability"]),
            "honorability_valid_until": _valid_until(doc),
            "news_owed": _news_owed(doc),
        }
        return cls(id=doc["_id"], **values, read_revision=doc["revision"])


def _news_owed(doc: dict[str, Any]) -> StatusNews | None:
    owed = doc.get("news_owed")  # unset once told
    return StatusNews.from_document(owed) if owed else None


def _valid_until(doc: dict[str, Any]) -> date | None:
    """The stored validity; a check cleared before it was recorded counts from the
    application (earlier than the clearing: the safe side)."""
    valid = doc.get("honorability_valid_until")
    if valid:
        return date.fromisoformat(valid) if isinstance(valid, str) else valid
    if doc["honorability"] != Honorability.CLEARED:
        return None
    return rules.honorability_valid_until(
        Honorability.CLEARED, given=None, today=doc["applied_at"].date()
    )


SERVICE = "directory"  # as privacy's cases name it
CHANGEABLE = frozenset({"honorability", "availability", "capacity", "active_families"})


def written_language_of(doc: dict[str, Any]) -> str:
    """The language a stored volunteer is written to in (one who applied before it was
    kept: French)."""
    return doc.get("written_language") or "fr"


STATE = (
    "_id", "volunteer_ref", "association_id", "identity", "code_postal", "needs",
    "availability", "languages", "skills", "capacity", "active_families", "status",
    "honorability", "revision", "applied_at", "updated_at", "honorability_valid_until",
    "approved_at", "written_language",
)  # fmt: skip
