"""The parts of a person's copy named in words (`/vos-droits/export/<token>`). A contact may
name several subjects (a family recorded by staff, each request she sent at the family door,
a volunteer's record), each with its own case and its own copy; the page says which is which
from the case's subject kind and what the copy holds: never a reference or a code."""

from collections.abc import Callable
from typing import Any

from entraide.kit import formats
from entraide.kit.i18n import N_

VOLUNTEER = N_("votre fiche de bénévole")
FAMILY = N_("votre fiche de famille, enregistrée le %(day)s")
DOOR = N_("votre demande d'aide du %(day)s")
OTHER = N_("d'autres données enregistrées à votre sujet")


def title(export: dict[str, Any], translate: Callable[[str], str]) -> str:
    """« votre demande d'aide du 28/11/2026 », « votre fiche de bénévole »…: what the part is."""
    if export.get("subject_kind") == "volunteer":
        return translate(VOLUNTEER)
    intake = (export.get("services") or {}).get("intake") or {}
    if intake.get("family"):
        return translate(FAMILY) % {"day": formats.day(intake["family"].get("created_at"))}
    sent = sorted(
        r["submitted_at"] for r in intake.get("own_requests") or [] if r.get("submitted_at")
    )
    if sent:
        return translate(DOOR) % {"day": formats.day(sent[0])}
    return translate(OTHER)
