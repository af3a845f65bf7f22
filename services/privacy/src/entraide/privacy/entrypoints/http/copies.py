"""The parts of a person's copy named in words (`/vos-droits/export/<token>`). A contact may
name several subjects (a family recorded by staff, each request she sent at the family door,
a volunteer's record), each with its own case and its own copy; the page says which is which
from the case's subject kind and what the copy holds: never a reference or a code. A request
from the door that staff confirmed is a family record too: her part is named by how it began
(online, or recorded by an association, named), so that two parts never read the same."""

from collections.abc import Callable
from typing import Any

from entraide.contracts.associations import IN_SENTENCE, NAMES
from entraide.contracts.vocab import RequestChannel
from entraide.kit import formats
from entraide.kit.i18n import N_

VOLUNTEER = N_("votre fiche de bénévole")
FAMILY = N_("votre fiche de famille, enregistrée le %(day)s")
FAMILY_BY = N_("la fiche enregistrée par %(association)s le %(day)s")
DOOR = N_("votre demande faite en ligne le %(day)s")
OTHER = N_("d'autres données enregistrées à votre sujet")


def title(export: dict[str, Any], translate: Callable[[str], str], french: bool = True) -> str:
    """« votre demande faite en ligne le 28/11/2026 », « la fiche enregistrée par Parrains
    Par Mille le 02/10/2026 », « votre fiche de bénévole »…: what the part is."""
    if export.get("subject_kind") == "volunteer":
        return translate(VOLUNTEER)
    intake = (export.get("services") or {}).get("intake") or {}
    family = intake.get("family") or {}
    sent = sorted(
        r["submitted_at"] for r in intake.get("own_requests") or [] if r.get("submitted_at")
    )
    if sent and not _by_staff(family):
        return translate(DOOR) % {"day": formats.day(sent[0])}
    if family:
        day = formats.day(family.get("created_at"))
        association = (IN_SENTENCE if french else NAMES).get(str(family.get("association_id")))
        if association is None:
            return translate(FAMILY) % {"day": day}
        return translate(FAMILY_BY) % {"association": association, "day": day}
    return translate(OTHER)


def _by_staff(family: dict[str, Any]) -> bool:
    """Whether staff recorded the family (its first request did not come from the door)."""
    requests = sorted(family.get("requests") or [], key=lambda r: str(r.get("submitted_at")))
    return bool(requests) and requests[0].get("channel") != RequestChannel.FAMILY.value
