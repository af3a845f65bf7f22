"""How to reach a family in writing, by the contact preference it chose.

The family chose among a call, an SMS and an e-mail ("phone", "sms", "email"), in order;
a written message goes by the first written channel it chose with a known address. One
who chose only calls gets an SMS on that phone: a warning before erasure must reach them,
and a text is the nearest written form of a call. Nobody reachable: None.
"""

from collections.abc import Mapping, Sequence
from typing import Any

EMAIL, SMS = "email", "sms"


def written_channel(
    preferences: Sequence[str], parent: Mapping[str, Any]
) -> tuple[str, str] | None:
    """(`email` or `sms`, the address or number) by the family's preferences."""
    phone, email = parent.get("phone") or None, parent.get("email") or None
    for preference in preferences:
        if preference == EMAIL and email:
            return EMAIL, str(email)
        if preference == SMS and phone:
            return SMS, str(phone)
    if "phone" in preferences and phone:
        return SMS, str(phone)
    return None
