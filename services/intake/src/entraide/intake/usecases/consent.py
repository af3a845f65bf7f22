"""The parent's consent changed after the request was recorded: withdrawn (or given back).

Whichever door it comes through (staff page or API, a partner, privacy's objection), the
family's consent is recorded and each open request is announced at its next revision
with `consent_to_matching` as it now is: matching ends the open match and proposes
nothing more (or places the request again), privacy's registry notes the consent.
"""

from datetime import UTC, datetime

from entraide.contracts import new_event
from entraide.contracts.events import RequestUpdated
from entraide.intake.domain import requests as domain
from entraide.intake.domain.family import Consent, Family, NotFoundError, Request
from entraide.intake.usecases.ports import Action, AuditTrail, UnitOfWork

SOURCE = "/entraide/intake"


def change(
    family: Family, consent: Consent, at: datetime, *, besides: str | None = None
) -> list[Request]:
    """Record the consent on the family and queue the events of the requests it moved
    (but `besides`, a request the caller announces itself)."""
    revised = family.change_consent(consent, at, besides=besides)
    for request in revised:
        payload = state_update(family, request, at)
        family.announce(new_event(payload, source=SOURCE, subject=family.family_ref))
    if revised:  # collecting the parent's word is a contact with the family
        family.last_contact_at = max(family.last_contact_at, at)
    return revised


async def from_partner(
    uow: UnitOfWork, audit: AuditTrail, family_id: str, given: Consent, *, source: str
) -> int:
    """A partner tells the consent of a family it sent (its own event's family only);
    returns how many open requests were announced again."""
    family = await uow.families.get(family_id)
    if family is None:
        raise NotFoundError(family_id)
    revised = change(family, given, datetime.now(UTC))
    await uow.commit(family)
    await audit.record_event(Action.CONSENT, family.id, event_id=family_id, association_id=source)
    return len(revised)


def state_update(family: Family, request: Request, at: datetime) -> RequestUpdated:
    """The request's pseudonymised state at its current revision, consent as it now is."""
    state = domain.submitted_event(
        request_id=request.request_id,
        family_ref=family.family_ref,
        postal_code=family.postal_code,
        children_birth_years=family.children_birth_years,
        needs=request.needs,
        availability=request.availability,
        languages=family.languages,
        signs=set(request.signs),
        association_id=request.association_id,
        channel=request.channel,
        consent_to_matching=family.consent.matching,
        at=at,
        # the contact channels are sealed with the identity: none sent, privacy keeps its own
    )
    update = domain.as_update(state, revision=request.revision)
    if not family.consent.matching:
        update = update.model_copy(update={"consent_withdrawn_at": at})
    return update
