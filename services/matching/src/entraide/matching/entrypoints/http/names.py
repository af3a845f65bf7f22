"""What coordinators read instead of references, from the read models matching holds.

Matching holds no identity (names stay in intake and directory, and never travel on the
topics), so a proposal shows the family as matching knows it (its postal code and that
code's commune, children's ages in words, the association that recorded it, the day it
asked), the offer's title or the volunteer's association, and links to the family's record
in intake and to the volunteer in directory, for the people those services let in (the
same sign-in).
"""

from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import quote

from entraide.contracts import geography
from entraide.kit.formats import Day
from entraide.kit.principal import Principal
from entraide.matching.entrypoints.http import labels
from entraide.matching.usecases import access
from entraide.matching.usecases.ports import OfferViews, Requests, VolunteerViews

Doc = dict[str, Any]


@dataclass(frozen=True)
class Shown:
    """A name a person reads, and where to open its record (None: not for this person)."""

    label: str
    detail: str = ""
    url: str | None = None
    asked_at: Day | None = None  # a family's: when its request was made (two alike read apart)
    paused: bool = False  # a volunteer's: on a pause (their supports go on: check in)
    check_until: date | None = None  # a volunteer's: their honorability check's last day


GONE = Shown("Bénévole ou action qui n'est plus disponible")
# an ended match whose family was erased: only the support's side is left (adapters.rights)
ERASED = Shown("Famille dont les données ont été effacées")


@dataclass(frozen=True)
class Names:
    """The read models the names come from, and the other services' addresses."""

    requests: Requests
    offers: OfferViews
    volunteers: VolunteerViews
    intake_url: str
    directory_url: str

    async def of(self, principal: Principal, matches: list[Doc]) -> dict[str, dict[str, Shown]]:
        """For each match (by id): its `family` and its `support`, as this person sees them."""
        asked = list({m["request_id"] for m in matches if "request_id" in m})
        views = await self.requests.many(asked)
        supports = await self.supports(principal, {m["support_key"] for m in matches})
        return {
            m["_id"]: {
                "family": self.family(principal, m, views.get(m["request_id"]))
                if "family_ref" in m
                else ERASED,
                "support": supports.get(m["support_key"], GONE),
            }
            for m in matches
        }

    def family(self, principal: Principal, match: Doc, view: Doc | None) -> Shown:
        view = view or {}
        where = _where(view.get("postal_code")) or match.get("departement", "")
        ages = _ages(view.get("children_age_bands", []))
        recorded_by = view.get("association_id")
        detail = f"enfants {ages}" if ages else ""
        if recorded_by:
            named = _in_sentence(recorded_by)
            detail += f"{' · ' if detail else ''}suivie par {named}"
        url = None
        if access.may_open_family(principal, match, recorded_by):
            url = f"{self.intake_url}/familles/par-reference/{quote(match['family_ref'])}"
        return Shown(f"Famille à {where}", detail, url, view.get("submitted_at"))

    async def supports(self, principal: Principal, keys: set[str]) -> dict[str, Shown]:
        """Volunteers and offers by support key (`volunteer:<ref>`, `offer:<id>`)."""
        refs = [k.split(":", 1)[1] for k in keys if k.startswith("volunteer:")]
        ids = [k.split(":", 1)[1] for k in keys if k.startswith("offer:")]
        shown = {
            f"volunteer:{ref}": self.volunteer(principal, ref, doc)
            for ref, doc in (await self.volunteers.many(refs)).items()
        }
        for offer_id, doc in (await self.offers.many(ids)).items():
            association = _association(doc["association_id"])
            url = f"{self.directory_url}/offres/{quote(offer_id)}"  # public
            shown[f"offer:{offer_id}"] = Shown(f"Action « {doc['nom']} »", association, url)
        return shown

    def volunteer(self, principal: Principal, ref: str, doc: Doc) -> Shown:
        association = _in_sentence(doc["association_id"])
        spoken = ", ".join(labels.LANGUAGES.get(x, x) for x in doc.get("languages", []))
        detail = f"{_where(doc.get('postal_code'))}{f' · parle {spoken}' if spoken else ''}"
        url = None
        if access.may_open_volunteer(principal, doc["association_id"]):
            url = f"{self.directory_url}/association?benevole={quote(ref)}"
        paused = doc.get("active") is False  # one who left is gone from the read model
        valid = doc.get("honorability_valid_until")  # the event's ISO day
        until = date.fromisoformat(valid) if isinstance(valid, str) else valid
        return Shown(f"Bénévole de {association}", detail, url, paused=paused, check_until=until)


def _where(postal_code: str | None) -> str:
    """A family's or a volunteer's place as a sentence says it: its postal code's commune
    beside the code (« Nantes (44000) »; « Nevers ou alentours (58000) » where the code
    serves other communes too: matching knows the code, not which), the bare code where
    none has it."""
    if not postal_code:
        return ""
    served = geography.commune_of(postal_code)
    if served is None:
        return postal_code
    return f"{served.name}{' ou alentours' if served.shared else ''} ({postal_code})"


def _ages(bands: list[str]) -> str:
    """The children's age bands in words, youngest first and each once (« de 3 à 5 ans
    et de 6 à 10 ans »); a band the contracts do not know is left out."""
    words = [f"de {text}" for band, text in labels.AGE_BANDS.items() if band in bands]
    if len(words) < 2:
        return "".join(words)
    return f"{', '.join(words[:-1])} et {words[-1]}"


def _association(association_id: str) -> str:
    return labels.ASSOCIATIONS.get(association_id, association_id)


def _in_sentence(association_id: str) -> str:
    """The association as a sentence names it after « de » or « par » (« l'AFEV »)."""
    return labels.ASSOCIATIONS_IN_SENTENCE.get(association_id, association_id)
