"""The topic registry: names and what flows on each.

Partitions, retention and cleanup policy are declared once, in `deploy/topics.toml`;
a test checks that both lists name the same topics.
"""

from dataclasses import dataclass
from enum import StrEnum


class KeyKind(StrEnum):
    """What a topic's record key is: always a pseudonymous reference, never an identity."""

    FAMILY_REF = "family_ref"
    VOLUNTEER_REF = "volunteer_ref"
    OFFER_ID = "offer_id"
    MATCH_ID = "match_id"
    SUBJECT_REF = "subject_ref"
    PARTNER_EVENT_ID = "partner_event_id"


@dataclass(frozen=True)
class Topic:
    """One Kafka topic of the network."""

    name: str
    key: KeyKind
    description: str
    dead_letter: bool = True

    @property
    def dlq(self) -> str:
        """The dead-letter topic of this topic."""
        return f"{self.name}.dlq"


REQUESTS = Topic(
    "entraide.intake.requests.v1",
    KeyKind.FAMILY_REF,
    "Pseudonymised requests for support: submitted, updated, withdrawn.",
)
PARTNER_RAW = Topic(
    "entraide.intake.partner-events.raw.v1",
    KeyKind.PARTNER_EVENT_ID,
    "Raw partner events (CloudEvents JSON) awaiting validation by intake; short retention.",
)
OFFERS = Topic(
    "entraide.directory.offers.v1",
    KeyKind.OFFER_ID,
    "Latest state of each association offer (compacted; tombstone on deletion).",
)
VOLUNTEERS = Topic(
    "entraide.directory.volunteers.v1",
    KeyKind.VOLUNTEER_REF,
    "Latest pseudonymised availability of each volunteer (compacted; tombstone on deletion).",
)
VOLUNTEER_APPLICATIONS = Topic(
    "entraide.directory.volunteer-applications.v1",
    KeyKind.VOLUNTEER_REF,
    "Each change of a volunteer's application (applied, reviewed, paused, left, honorability "
    "check), anonymous but for the pseudonymous reference: the observatory's funnel, "
    "privacy's registry (an applicant's last contact).",
)
MATCHES = Topic(
    "entraide.matching.matches.v1",
    KeyKind.FAMILY_REF,
    "Match lifecycle: proposed, accepted, declined, expired, started, checked in, closed; "
    "a request waitlisted.",
)
PRIVACY_COMMANDS = Topic(
    "entraide.privacy.commands.v1",
    KeyKind.SUBJECT_REF,
    "Erasure and access commands to every service; objection and rectification to the "
    "owning service.",
)
PRIVACY_ACKS = Topic(
    "entraide.privacy.acks.v1",
    KeyKind.SUBJECT_REF,
    "Every service's acknowledgement of a privacy command, with counts.",
)

TOPICS: tuple[Topic, ...] = (
    REQUESTS,
    PARTNER_RAW,
    OFFERS,
    VOLUNTEERS,
    VOLUNTEER_APPLICATIONS,
    MATCHES,
    PRIVACY_COMMANDS,
    PRIVACY_ACKS,
)


def all_topic_names() -> set[str]:
    """Every topic the network uses, dead-letter topics included."""
    names = {t.name for t in TOPICS}
    return names | {t.dlq for t in TOPICS if t.dead_letter}
