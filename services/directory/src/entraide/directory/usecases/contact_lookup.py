"""Which volunteers a contact names, for privacy's public rights channel: the person proved
the e-mail to privacy, which holds no contact data and asks directory, the owner. Found
through the sign-in index (the address's keyed hash; nothing unsealed); only references
leave. Volunteers' phones are not indexed: a phone names no volunteer here."""

from entraide.directory.domain.volunteers import access_links
from entraide.directory.usecases.volunteer_space import VolunteerSpace


async def volunteers_of(space: VolunteerSpace, *, email: str | None) -> list[str]:
    """The reference of the volunteer who applied with this e-mail (none or one)."""
    if not email:
        return []
    volunteer_id = await space.index.find(access_links.email_lookup(space.lookup_secret, email))
    volunteer = await space.uow.volunteers.get(volunteer_id) if volunteer_id else None
    return [] if volunteer is None else [volunteer.volunteer_ref]
