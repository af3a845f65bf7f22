"""An ongoing support says on /suivis when its volunteer's honorability check expired or
expires within 30 days (Paris days), so the association renews it before it lapses; an
action's, or a check valid longer, says nothing."""

from datetime import date, timedelta
from typing import Any

from entraide.kit.web import templates_for
from entraide.matching.domain.paging import Asked, Page
from entraide.matching.domain.rules import CheckNotice, check_notice
from entraide.matching.entrypoints.http import followup_pages, labels
from entraide.matching.entrypoints.http.names import Shown
from tests.page_text import text_of
from tests.unit.matching.factories import COORDINATOR
from tests.unit.matching.test_followups_page import Captured, Schedules, started_match
from tests.unit.matching.test_names import COORDINATOR as UNAF
from tests.unit.matching.test_names import NAMES

TODAY = date(2026, 12, 1)  # the fakes' day (test_followups_page.Schedules)
UNTIL = {
    "lapsed": date(2026, 11, 30),
    "soon": date(2026, 12, 31),
    "later": date(2027, 1, 1),
    "unknown": None,
}


def test_a_check_is_noticed_from_thirty_days_before_its_last_day() -> None:
    assert check_notice(TODAY + timedelta(days=31), TODAY) is None
    assert check_notice(TODAY + timedelta(days=30), TODAY) == CheckNotice(
        False, TODAY + timedelta(days=30)
    )
    assert check_notice(TODAY, TODAY) == CheckNotice(False, TODAY)  # valid through today
    assert check_notice(TODAY - timedelta(days=1), TODAY) == CheckNotice(
        True, TODAY - timedelta(days=1)
    )
    assert check_notice(None, TODAY) == CheckNotice(True, None)


class Listings:
    async def active(self, principal: Any, asked: Asked) -> Page:
        volunteers = [
            started_match(f"volunteer:{name}") | {"_id": name, "followup": {}} for name in UNTIL
        ]
        action = started_match("offer:o1") | {"_id": "action", "followup": {}}
        return Page([*volunteers, action], len(UNTIL) + 1)

    async def due_count(self, principal: Any, today: date) -> int:
        return 0

    async def ended(self, principal: Any, since: Any, asked: Asked) -> Page:
        return Page([], 0)


class Names:
    async def of(self, principal: Any, matches: list[Any]) -> dict[str, Any]:
        family = Shown("Famille à Nantes (44000)", "enfants de 6 à 10 ans")
        shown = {
            name: Shown("Bénévole de Parrains Par Mille", check_until=until)
            for name, until in UNTIL.items()
        }
        shown["action"] = Shown("Action « Sorties du mercredi »", "Parrains par mille")
        return {m["_id"]: {"family": family, "support": shown[m["_id"]]} for m in matches}


async def cards() -> dict[str, str]:
    """Each ongoing support's card on /suivis, as text, by match id."""
    captured = Captured()
    fakes: Any = (Listings(), Schedules(), Names(), captured)
    await followup_pages.follow_ups(None, COORDINATOR, *fakes)  # type: ignore[arg-type]
    context = {"labels": labels, "request": None, "principal": COORDINATOR, "csrf": "t"}
    template = templates_for("entraide.matching").env.get_template(captured.name)
    page = template.render(context | captured.context)
    found = page.split('<article class="fr-p-3w')[1:]
    return {
        name: text_of(card).replace("\u00a0", " ")
        for name, card in zip([*UNTIL, "action"], found, strict=True)
    }


async def test_an_ongoing_support_says_its_volunteers_check_expired_or_expires_soon() -> None:
    said = await cards()
    assert (
        "Attestation d'honorabilité expirée le 30 novembre 2026 : à renouveler avec le "
        "bénévole avant de poursuivre." in said["lapsed"]
    )
    assert (
        "Attestation d'honorabilité : expire le 31 décembre 2026, à renouveler avec le bénévole."
        in said["soon"]
    )
    assert "Attestation d'honorabilité non validée" in said["unknown"]
    assert "honorabilité" not in said["later"]
    assert "honorabilité" not in said["action"]


def test_a_volunteer_is_named_with_the_last_day_of_their_check() -> None:
    doc = {"association_id": "unaf", "postal_code": "44000"}
    dated = doc | {"honorability_valid_until": "2026-12-31"}  # the read model's ISO day
    assert NAMES.volunteer(UNAF, "v1", dated).check_until == date(2026, 12, 31)
    assert NAMES.volunteer(UNAF, "v1", doc).check_until is None
