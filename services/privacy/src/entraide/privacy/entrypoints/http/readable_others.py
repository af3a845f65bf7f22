"""What the other services keep for their own staff and the person's copy leaves out or
words for her (`readable.py` applies it): their bookkeeping (event numbers, the events a
read model has seen, internal document ids, a request's revision), who among staff did
something (an account and a name, in an audit entry, a logged contact, a consent, a match
proposed by hand: the person reads « un compte de l'équipe de l'association », as the
README promises), and the French they wrote into her data (the consent's collector, intake's
prefixes in her request's notes, matching's reasons), in her language or left out; and
the codes they hold where she reads words (the action she chose at her door, by whose it
is; a département, by its name). Her own words stay as she wrote them; the JSON file she
downloads keeps every part as the services hold it but the staff (`without_staff`): no
staff member's name, no account's code (the DPO's export keeps them)."""

import re
from collections.abc import Callable, Mapping
from typing import Any

from entraide.contracts import departements
from entraide.contracts.associations import IN_SENTENCE, NAMES
from entraide.kit.i18n import N_

# nothing a person can read or quote: the relays' and read models' bookkeeping and the
# documents' internal ids (her references stay: `family_ref`, a request's short one), a
# request's revision (the order of its events), and a staff member's name
HIDDEN = {"_id", "id", "family_id", "event_id", "last_event_id", "seen", "revision"}
# an event the observatory set aside until its request opens (minutes, a race of two
# topics): its type and contents are the network's codes and references, kept whole in the
# copy's JSON file; the page says when (« Le ») under « Événements mis de côté »
HIDDEN |= {"type", "data"}
STAFF_NAMES = {"actor_name", "by_name"}
HIDDEN |= STAFF_NAMES
# matching explains a proposal in French sentences for coordinators (`domain/score.py`):
# on a copy in another language they are left out (the score's detail says the same)
FRENCH_ONLY = {"reasons"}
# a request or a match as staff name them on the phone (« 1f31 fce9 »), never its 32 hex;
# the rights cases noted on a record too (the case's number read as the officer's pages do)
SHORT = {"request_id", "match_id", "open_request", "rectifications", "objections"}
# the staff account that recorded, decided, read, collected, noted a contact (`by`) or
# proposed a match by hand: the person reads who it was, not the account's code nor the
# staff member's name (the association beside)
ACCOUNTS = {"recorded_by", "decided_by", "actor", "collected_by", "by", "proposed_by"}
STAFF_ACCOUNT = N_("un compte de l'équipe de l'association")
# who an account was when its entry records its role beside it (intake's audit log): a
# network coordinator or the DPO is not an association's team
BY_ROLE = {
    "staff": STAFF_ACCOUNT,
    "coordinator": N_("un compte de la coordination de l'association"),
    "network-coordinator": N_("un compte de la coordination du réseau"),
    "dpo": N_("le délégué à la protection des données du réseau"),
}
# what an account field holds that is not a staff member: the family itself on its door
# (intake's `BY_THE_FAMILY`), a service acting on another's event, matching's engine
NOT_STAFF = {
    "la famille (formulaire public)": N_("la famille (formulaire de demande d'aide)"),
    "system": N_("automatique"),
    "online": N_("le calcul immédiat"),
    "batch": N_("le calcul d'ensemble"),
}
# a consent withdrawn by an objection the person made (intake's `privacy:<case>`)
BY_HER_OBJECTION = N_("le délégué à la protection des données, à votre demande")
# the action a family chose on an association's offer at its door: intake keeps the id of
# the offer's link, its title is directory's (and may have changed or gone since); the
# person reads whose action it is, and the JSON file keeps the id
AN_ACTION_OF = N_("une action de %(association)s")
AN_ACTION = N_("une action")
# where a request or a volunteer is: a département by its name (a name, in no catalog)
PLACES = {"departement", "departements"}
# an entry of intake's audit log caused by another service's event (`via` `event:<id>`)
BY_AN_EVENT = N_("un autre service du réseau")
# the lines intake adds before the family's own words when staff confirm a request from
# its door (`self_request_queue._notes`), read as the door's fields are named
NOTE_LINES = re.compile(r"^(À rappeler|Message de la famille) : ", re.MULTILINE)
NOTE_LABELS = {"À rappeler": "Moments pour rappeler", "Message de la famille": "Message"}


def shown(key: str, french: bool) -> bool:
    """Whether the person's copy shows a field (in French, matching's reasons too)."""
    return key not in HIDDEN and (french or key not in FRENCH_ONLY)


def without_staff(value: Any, translate: Callable[[str], str], key: str = "") -> Any:
    """The JSON file as the person downloads it: the services' parts as held, but a staff
    member's name left out and an account field in the page's words (in her language)."""
    if isinstance(value, dict):
        role = str(value.get("role") or "")
        return {
            k: translate(account(v, role)) if _an_account(k, v) else without_staff(v, translate, k)
            for k, v in value.items()
            if k not in STAFF_NAMES
        }
    if isinstance(value, list):
        return [without_staff(v, translate, key) for v in value]
    return value


def _an_account(key: str, value: Any) -> bool:
    return key in ACCOUNTS and isinstance(value, str) and bool(value)


def account(text: str, role: str = "") -> str:
    """The words for an account field's value (to translate): never the account nor a name;
    by the role recorded beside it if any (an association's team, its coordination, the
    network's coordination, the DPO)."""
    if text.startswith("privacy:"):
        return BY_HER_OBJECTION
    return NOT_STAFF.get(text) or BY_ROLE.get(role, STAFF_ACCOUNT)


# an empty list that the staff's pages name in their words (intake's record: « Disponibilités
# : non précisées », « Signes observés : aucun »), not the copy's « rien »
EMPTY = {
    "availability": N_("non précisées"),
    "signs": N_("aucun"),
    "situations": N_("aucun"),
    "check_ins": N_("aucun"),
}


def notes(text: str, translate: Callable[[str], str], french: bool) -> str:
    """The request's notes with intake's prefixes in the reader's language, her words as is."""
    colon = " : " if french else ": "

    def label(found: re.Match[str]) -> str:
        return translate(NOTE_LABELS[found.group(1)]) + colon

    return NOTE_LINES.sub(label, text)


def chosen(part: Mapping[str, Any], translate: Callable[[str], str], french: bool) -> str:
    """The offer a part names (`offer_id`) as its association's action: « une action de
    l'AFEV » (the name as a French sentence says it), « une action » for an unknown one."""
    names = IN_SENTENCE if french else NAMES
    association = names.get(str(part.get("association_id")))
    if association is None:
        return translate(AN_ACTION)
    return translate(AN_ACTION_OF) % {"association": association}


def place(code: str) -> str:
    """A département's name (« Loire-Atlantique »), its code when it is none of them."""
    return departements.name(code)
