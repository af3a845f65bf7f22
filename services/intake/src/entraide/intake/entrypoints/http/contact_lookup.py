"""Internal route for privacy's public rights channel: the families a proved contact names
(the kit's route and its service-token check; intake's own lookup)."""

from entraide.intake.usecases import contact_lookup
from entraide.intake.usecases.ports import Families, FamilyKeys
from entraide.kit.contact_lookup import ContactIn, SubjectsByContact, subjects_router


class ContactLookup(SubjectsByContact):
    """The families, by their duplicate-search hashes (the lookup key)."""

    def __init__(self, families: Families, keys: FamilyKeys, privacy_secret: str) -> None:
        super().__init__(privacy_secret)
        self.families, self.keys = families, keys

    async def subjects(self, contact: ContactIn) -> list[str]:
        return await contact_lookup.families_of(
            self.families, self.keys, phone=contact.phone, email=contact.email
        )


router = subjects_router(ContactLookup)
