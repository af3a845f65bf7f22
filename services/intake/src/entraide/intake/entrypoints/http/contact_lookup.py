"""Internal route for privacy's public rights channel: the families a proved contact names
(the kit's route and its service-token check; intake's own lookup)."""

from collections.abc import Awaitable, Callable

from entraide.intake.usecases import contact_lookup
from entraide.intake.usecases.ports import Families, FamilyKeys
from entraide.kit.contact_lookup import ContactIn, SubjectsByContact, subjects_router


class ContactLookup(SubjectsByContact):
    """The families, by their duplicate-search hashes (the lookup key), and those of the
    requests from the family door (the same hashes)."""

    def __init__(
        self,
        families: Families,
        keys: FamilyKeys,
        privacy_secret: str,
        own_requests: Callable[[list[str], int], Awaitable[list[str]]] | None = None,
    ) -> None:
        super().__init__(privacy_secret)
        self.families, self.keys, self.own_requests = families, keys, own_requests

    async def subjects(self, contact: ContactIn) -> list[str]:
        return await contact_lookup.families_of(
            self.families,
            self.keys,
            phone=contact.phone,
            email=contact.email,
            own_requests=self.own_requests,
        )


router = subjects_router(ContactLookup)
