"""Offers for tests: valid fields near a real commune, overridable."""

from typing import Any

from entraide.directory.domain.offers.fields import OfferFields
from entraide.directory.domain.places import find


def fields(where: str = "Nantes", **changes: Any) -> OfferFields:
    place = find(where)
    assert place is not None
    values: dict[str, Any] = {
        "nom": "Parrainage de proximité",
        "presentation": "Un parrain ou une marraine bénévole partage du temps avec l'enfant.",
        "thematiques": ["entraide--parrainage-de-proximite"],
        "zone_eligibilite": [place.departement],
        "horaires_accueil": "We 14:00-18:00; Sa 10:00-17:00",
        "commune": place.commune,
        "code_postal": place.postal_code,
        "latitude": place.latitude,
        "longitude": place.longitude,
        "age_min": 3,
        "age_max": 14,
        "modalites_acces": "Écrire à l'antenne, qui rappelle sous une semaine.",
        "courriel": "antenne@example.org",
    }
    return OfferFields(**(values | changes))
