"""Internal route for privacy's public rights channel: the volunteers a proved contact
names (the kit's route and its service-token check; directory's own lookup)."""

from entraide.directory.usecases import contact_lookup
from entraide.directory.usecases.volunteer_space import VolunteerSpace
from entraide.kit.contact_lookup import ContactIn, SubjectsByContact, subjects_router


class ContactLookup(SubjectsByContact):
    """The volunteers, by the sign-in index (an e-mail only: phones are not indexed)."""

    def __init__(self, space: VolunteerSpace, privacy_secret: str) -> None:
        super().__init__(privacy_secret)
        self.space = space

    async def subjects(self, contact: ContactIn) -> list[str]:
        return await contact_lookup.volunteers_of(self.space, email=contact.email)


router = subjects_router(ContactLookup)
