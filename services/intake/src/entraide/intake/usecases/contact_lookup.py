"""Which families a contact names, for privacy's public rights channel: the person proved
the phone or e-mail to privacy, which holds no contact data and asks intake, the owner.
Found through the duplicate-search hashes (no identity unsealed); only references leave."""

from collections.abc import Awaitable, Callable

from entraide.intake.domain import requests as domain
from entraide.intake.domain import sealing
from entraide.intake.usecases.ports import Families, FamilyKeys

LIMIT = 20


async def families_of(
    families: Families,
    keys: FamilyKeys,
    *,
    phone: str | None,
    email: str | None,
    own_requests: Callable[[list[str], int], Awaitable[list[str]]] | None = None,
) -> list[str]:
    """The references of the families recorded with this phone or e-mail, and of those
    whose request from their own door names it (waiting for staff, or refused: data all
    the same); at most 20."""
    terms = domain.lookup_terms(first_name="", last_name="", phone=phone, email=email)
    hashes = [sealing.blind_index(keys.lookup_key, term) for term in terms]
    if not hashes:
        return []
    found = await families.lookups(hashes, limit=LIMIT)
    refs = set(await own_requests(hashes, LIMIT)) if own_requests else set()
    refs.update((await families.refs(sorted(found))).values())  # one read, not one each
    return sorted(refs)[:LIMIT]
