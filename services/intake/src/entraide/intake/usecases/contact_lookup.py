"""Which families a contact names, for privacy's public rights channel: the person proved
the phone or e-mail to privacy, which holds no contact data and asks intake, the owner.
Found through the duplicate-search hashes (no identity unsealed); only references leave."""

from entraide.intake.domain import requests as domain
from entraide.intake.domain import sealing
from entraide.intake.usecases.ports import Families, FamilyKeys

LIMIT = 20


async def families_of(
    families: Families, keys: FamilyKeys, *, phone: str | None, email: str | None
) -> list[str]:
    """The references of the families recorded with this phone or e-mail (at most 20)."""
    terms = domain.lookup_terms(first_name="", last_name="", phone=phone, email=email)
    hashes = [sealing.blind_index(keys.lookup_key, term) for term in terms]
    if not hashes:
        return []
    found = await families.lookups(hashes, limit=LIMIT)
    refs = []
    for family_id in sorted(found):
        family = await families.get(family_id)
        if family is not None:
            refs.append(family.family_ref)
    return refs
