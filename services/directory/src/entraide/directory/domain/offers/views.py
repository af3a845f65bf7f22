"""Offers as others read them: the public view, the staff view, data·inclusion's schema."""

from datetime import UTC, datetime
from typing import Any

from entraide.contracts.paris import paris_day
from entraide.directory.domain.associations import ASSOCIATIONS, name_of
from entraide.directory.domain.offers import hours, vocab
from entraide.directory.domain.offers.fields import freshness

PUBLIC_FIELDS = (
    "nom", "presentation", "thematiques", "publics", "frais", "modes_accueil",
    "zone_eligibilite", "horaires_accueil", "commune", "code_postal", "age_min", "age_max",
    "modalites_acces", "telephone", "courriel", "lien",
)  # fmt: skip


def public_offer(doc: dict[str, Any]) -> dict[str, Any]:
    """What a family sees of an offer, with the association's contact path."""
    association = ASSOCIATIONS.get(doc["association_id"])
    slots = hours.parse(doc["horaires_accueil"]) if doc.get("horaires_accueil") else []
    return {
        "offer_id": doc["_id"],
        **{k: doc.get(k) for k in PUBLIC_FIELDS},
        "association": name_of(doc["association_id"]),
        "association_id": doc["association_id"],  # the family door's preselection
        "association_site": association.site if association else None,
        "horaires": hours.describe(slots),
        "mis_a_jour_le": _day(doc["updated_at"]),
    }


def staff_offer(doc: dict[str, Any], now: datetime | None = None) -> dict[str, Any]:
    fresh = freshness(doc["updated_at"], now or datetime.now(UTC))
    return {**public_offer(doc), "revision": doc["revision"], "fraicheur": fresh.value,
            "professionals_only": doc["professionals_only"],
            "capacity": doc.get("capacity"), "current_load": doc.get("current_load")}  # fmt: skip


def data_inclusion_service(doc: dict[str, Any]) -> dict[str, Any]:
    """One offer as a data·inclusion `service`; our own vocabulary values are left out."""
    return {
        "id": doc["_id"],
        "source": "entraide",
        "structure_id": doc["association_id"],
        "nom": doc["nom"],
        "presentation_detail": doc.get("presentation") or None,
        "thematiques": [t for t in doc["thematiques"] if t in vocab.DATA_INCLUSION_THEMATIQUES],
        "publics": [p for p in doc["publics"] if p in vocab.DATA_INCLUSION_PUBLICS] or ["familles"],
        "frais": doc["frais"],
        "modes_accueil": doc["modes_accueil"],
        "zone_eligibilite": doc["zone_eligibilite"],
        "horaires_accueil": doc.get("horaires_accueil"),
        "commune": doc["commune"],
        "code_postal": doc["code_postal"],
        "latitude": doc["latitude"],
        "longitude": doc["longitude"],
        "telephone": doc.get("telephone"),
        "courriel": doc.get("courriel"),
        "lien_source": doc.get("lien"),
        "modes_orientation_accompagnateur_autres": doc.get("modalites_acces") or None,
        "date_maj": _day(doc["updated_at"]),
    }


def _day(at: datetime) -> str:
    """The day in Paris of a stored moment (UTC): updated at 0 h 30 on the 2nd is the 2nd."""
    return paris_day(at).isoformat()
