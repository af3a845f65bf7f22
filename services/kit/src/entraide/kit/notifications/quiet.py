"""Quiet hours: an SMS is not sent at night, it waits for the morning (Paris time).

E-mail is read when the person chooses, so it goes at once; a text message rings.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from entraide.contracts.paris import PARIS, in_paris
from entraide.kit.notifications import Channel


@dataclass(frozen=True)
class QuietHours:
    start: time = time(20, 0)  # from this time in the evening...
    end: time = time(8, 30)  # ...until this time in the morning, nothing rings

    def holds(self, at: datetime) -> bool:
        local = in_paris(at).time()
        if self.start <= self.end:
            return self.start <= local < self.end
        return local >= self.start or local < self.end

    def next_allowed(self, channel: Channel, at: datetime) -> datetime:
        """When a message of `channel` asked for at `at` may go (UTC): `at` itself, or the
        end of the quiet hours for an SMS asked for during them."""
        if channel is not Channel.SMS or not self.holds(at):
            return at
        local = in_paris(at)
        morning = datetime.combine(local.date(), self.end, tzinfo=PARIS)
        if morning <= local:
            morning = datetime.combine(local.date() + timedelta(days=1), self.end, tzinfo=PARIS)
        return morning.astimezone(UTC)


def parse_time(text: str) -> time:
    """`20:00` or `8:30` (the settings' notation)."""
    hours, _, minutes = text.partition(":")
    return time(int(hours), int(minutes or 0))
