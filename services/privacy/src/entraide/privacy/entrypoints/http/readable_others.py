"""What the other services keep for their own staff and the person's copy leaves out or
words for her (`readable.py` applies it): their bookkeeping (event numbers, the events a
read model has seen, internal document ids), who among staff did something (an account
and a name: the person reads « un compte de l'équipe de l'association », as the README
promises), and the French they wrote into her data (the consent's collector, intake's
prefixes in her request's notes, matching's reasons), in her language or left out. Her own
words stay as she wrote them; the JSON file keeps every part as the services hold it."""

import re
from collections.abc import Callable

from entraide.kit.i18n import N_

# nothing a person can read or quote: the relays' and read models' bookkeeping and the
# documents' internal ids (her references stay: `family_ref`, a request's short one)
HIDDEN = {"_id", "id", "family_id", "event_id", "last_event_id", "seen", "actor_name"}
# matching explains a proposal in French sentences for coordinators (`domain/score.py`):
# on a copy in another language they are left out (the score's detail says the same)
FRENCH_ONLY = {"reasons"}
# a request or a match as staff name them on the phone (« 1f31 fce9 »), never its 32 hex
SHORT = {"request_id", "match_id", "open_request"}
# the staff account that recorded, decided, read or collected something: the person reads
# who it was, not the account's code nor the staff member's name (the association beside)
ACCOUNTS = {"recorded_by", "decided_by", "actor", "collected_by"}
STAFF_ACCOUNT = N_("un compte de l'équipe de l'association")
# what an account field holds that is not a staff member: the family itself on its door
# (intake's `BY_THE_FAMILY`), a service acting on another's event
NOT_STAFF = {
    "la famille (formulaire public)": N_("la famille (formulaire de demande d'aide)"),
    "system": N_("automatique"),
}
# an entry of intake's audit log caused by another service's event (`via` `event:<id>`)
BY_AN_EVENT = N_("un autre service du réseau")
# the lines intake adds before the family's own words when staff confirm a request from
# its door (`self_request_queue._notes`), read as the door's fields are named
NOTE_LINES = re.compile(r"^(À rappeler|Message de la famille) : ", re.MULTILINE)
NOTE_LABELS = {"À rappeler": "Moments pour rappeler", "Message de la famille": "Message"}


def shown(key: str, french: bool) -> bool:
    """Whether the person's copy shows a field (in French, matching's reasons too)."""
    return key not in HIDDEN and (french or key not in FRENCH_ONLY)


def account(text: str) -> str:
    """The words for an account field's value (to translate): never the account nor a name."""
    return NOT_STAFF.get(text, STAFF_ACCOUNT)


def notes(text: str, translate: Callable[[str], str], french: bool) -> str:
    """The request's notes with intake's prefixes in the reader's language, her words as is."""
    colon = " : " if french else ": "

    def label(found: re.Match[str]) -> str:
        return translate(NOTE_LABELS[found.group(1)]) + colon

    return NOTE_LINES.sub(label, text)
