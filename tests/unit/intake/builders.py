"""Commands and people for intake's use-case tests."""

import uuid
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from entraide.contracts.events import Slot
from entraide.contracts.vocab import DayPart, Need, RequestChannel, Weekday
from entraide.intake.domain.family import Consent, Family
from entraide.intake.domain.requests import Sign
from entraide.intake.usecases import recording
from entraide.intake.usecases.casework import Casework
from entraide.intake.usecases.commands import FamilyDetails, Parent
from entraide.intake.usecases.recording import new_family
from entraide.kit.auth import Principal, Role
from tests.unit.intake.fakes import FakeAudit, FakeKeys, FakeUnitOfWork

CLAIRE = Principal(
    subject="staff-claire",
    name="Claire",
    role=Role.STAFF,
    association_id="parrains-par-mille",
    territories=("44",),
)
LUC = Principal(
    subject="staff-luc", name="Luc", role=Role.STAFF, association_id="afev", territories=("44",)
)
INES = Principal(
    subject="network-ines", name="Inès", role=Role.NETWORK, association_id=None, territories=()
)


def details(**changes: Any) -> FamilyDetails:
    """Amina Diallo's family in Nantes, as staff record it."""
    base = FamilyDetails(
        parent=Parent("Amina", "Diallo", "06 12 34 56 78", "amina.diallo@example.org"),
        children_birth_years=[2019, 2023],
        postal_code="44000",
        commune="Nantes",
        languages=["fr", "ar"],
        contact_preferences=["sms"],
        needs=[Need.PARRAINAGE_PROXIMITE, Need.REPIT_GARDE],
        availability=[Slot(day=Weekday.WEDNESDAY, part=DayPart.AFTERNOON)],
        signs=[Sign.EPUISEMENT, Sign.SANS_RELAIS],
        notes="Maman solo depuis mars, très fatiguée.",
        consent=Consent(
            matching=True,
            sharing=False,
            collected_by="Claire (PPM)",
            collected_at=datetime(2026, 11, 28, 10, tzinfo=UTC),
        ),
    )
    return replace(base, **changes)


async def family_of(
    keys: FakeKeys,
    parent: Parent,
    family_id: str | None = None,
    channel: RequestChannel = RequestChannel.STAFF_FORM,
) -> Family:
    """A new family of this parent, sealed with its own key, not yet stored."""
    family_id = family_id or uuid.uuid4().hex
    return new_family(
        keys,
        await keys.key_for(family_id, family_id),
        details(parent=parent),
        family_id=family_id,
        family_ref=uuid.uuid4().hex,
        association_id="parrains-par-mille",
        channel=channel,
    )


def casework() -> tuple[Casework, FakeUnitOfWork, FakeKeys, FakeAudit]:
    uow, keys, audit = FakeUnitOfWork(), FakeKeys(), FakeAudit()
    return Casework(uow, keys, audit), uow, keys, audit


async def known_to_staff(uow: FakeUnitOfWork, keys: FakeKeys, **changes: Any) -> recording.Recorded:
    """Awa Traoré's family, recorded by staff (`changes` to its details): the parent the
    door's tests then see asking on her own (same name and phone)."""
    return await recording.record_request(
        uow,
        keys,
        details(parent=Parent("Awa", "Traoré", "06 98 76 54 32"), **changes),
        association_id="parrains-par-mille",
        channel=RequestChannel.STAFF_FORM,
    )
