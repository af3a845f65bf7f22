"""A family already known asks for something else: another request on its record, not a
second family. Recording her again (« J'ai vérifié : il s'agit d'une autre famille »)
split one parent in two: two sealed identities, two references, two retention clocks, a
rights case on one missing the other, her support path cut in two in the figures."""

from dataclasses import dataclass
from datetime import UTC, datetime

from entraide.contracts.events import Slot
from entraide.contracts.vocab import Need, RequestChannel
from entraide.intake.domain.family import Consent, Family, NotFoundError
from entraide.intake.domain.requests import Sign
from entraide.intake.usecases import consent, recording
from entraide.intake.usecases.casework import Casework
from entraide.intake.usecases.ports import Action
from entraide.kit.principal import Principal


@dataclass(frozen=True)
class Wish:
    """What the family asks for now, with the parent's consent as collected with it;
    `availability` None: her half-days as she last gave them (`last_half_days`)."""

    needs: list[Need]
    availability: list[Slot] | None
    signs: list[Sign]
    notes: str
    consent: Consent


async def add_request(
    work: Casework,
    principal: Principal,
    family_id: str,
    wish: Wish,
    *,
    channel: RequestChannel,
    via: str,
) -> str:
    """Another request of a family in my scope, announced for orientation with the
    consent collected with it (given back, the family's other open requests follow it);
    its id. `NotFoundError`: no such family in my scope, or erased."""
    family = await work.visible(principal, family_id)
    key = await work.keys.existing(family_id)
    if key is None:  # erased: nothing left to add to
        raise NotFoundError(family_id)
    now = datetime.now(UTC)
    consent.change(family, wish.consent, now)
    request_id = recording.add_request(
        family,
        key,
        needs=wish.needs,
        availability=last_half_days(family) if wish.availability is None else wish.availability,
        signs=wish.signs,
        channel=channel,
        contact_channels=[],  # sealed with the identity; privacy kept the first ones
        recorded_by=principal.subject,
        asked_at=now,
        notes=wish.notes,
    )
    await work.uow.commit(family)
    await work.audit.record(principal, Action.CREATE, family_id, via=via)
    return request_id


def last_half_days(family: Family) -> list[Slot]:
    """The half-days she gave with her latest request that had any (none: empty). A
    request with none is never proposed a volunteer, whose visits need one in common."""
    said = [r for r in family.requests if r.availability]
    return max(said, key=lambda r: r.submitted_at).availability if said else []
