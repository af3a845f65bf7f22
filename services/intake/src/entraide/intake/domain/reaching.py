"""How to reach a family in writing, by the contact preference it chose.

The family chose among a call, an SMS and an e-mail ("phone", "sms", "email"), in order.
Its written channels are those it chose with a known address, in its order; one who chose
a call gets an SMS on that phone (a text is the nearest written form of a call). News of
its own request goes by each of them (`written_channels`); a warning before erasure by the
first (`written_channel`). Nobody reachable: none. Only a family that chose a call and
gave a phone is told an association will call it (`by_call`); the others, that it will be
contacted.
"""

from collections.abc import Mapping, Sequence
from typing import Any

EMAIL, SMS = "email", "sms"


def written_channels(
    preferences: Sequence[str], parent: Mapping[str, Any]
) -> list[tuple[str, str]]:
    """Each (`email` or `sms`, the address or number) the family chose and can be reached
    by, in its order; a call chosen is an SMS, after the written channels chosen."""
    phone, email = parent.get("phone") or None, parent.get("email") or None
    reachable = {EMAIL: email, SMS: phone}
    chosen = [p for p in preferences if p in reachable]
    if "phone" in preferences:
        chosen.append(SMS)
    return [(c, str(reachable[c])) for c in dict.fromkeys(chosen) if reachable[c]]


def written_channel(
    preferences: Sequence[str], parent: Mapping[str, Any]
) -> tuple[str, str] | None:
    """The first of `written_channels`, or None."""
    return next(iter(written_channels(preferences, parent)), None)


def by_call(preferences: Sequence[str], parent: Mapping[str, Any]) -> bool:
    """The family chose a call and gave a number: it may be told « on va vous appeler »."""
    return "phone" in preferences and bool(parent.get("phone"))


def message_language(chosen: str | None, spoken: Sequence[str], written: Sequence[str]) -> str:
    """The language a family's messages are written in, among those we write (`written`,
    French first): the one its parent chose on the door's page, if any; otherwise French
    when the family speaks it (or said nothing), else the first language it speaks that we
    write, else French."""
    french = written[0]
    if chosen is not None and chosen in written:
        return chosen
    if not spoken or french in spoken:
        return french
    return next((code for code in spoken if code in written), french)
