"""The association's space on the real store, with an association's worth of volunteers and
actions: a page at a time, what waits for the coordinator first, filtered by status."""

import html
import re
from datetime import UTC, datetime, timedelta

from entraide.directory.adapters.offers.store import OfferStore
from entraide.directory.adapters.volunteers.store import VolunteerStore
from entraide.directory.app import create_app
from entraide.directory.domain.volunteers import roster
from entraide.directory.usecases import volunteers as volunteer_service
from entraide.directory.usecases.ports import Roster, RosterQuery, UnitOfWork, VolunteerKeyStore
from entraide.kit import formats
from entraide.kit.deps import lookup
from tests.integration.test_directory_offers import bearer, body, directory_settings  # noqa: F401
from tests.support import serving
from tests.unit.directory.test_volunteer_use_cases import FORM

CARD = re.compile(r'<h3 class="fr-card__title" id="benevole-(\w+)">')


def states(today) -> list[dict]:
    """60 volunteers' states: 5 applications, 4 under review, 3 rectifications asked, 4
    checks to renew (2 expired), 44 others (approved, paused, declined, left)."""
    valid = (today + timedelta(days=400)).isoformat()
    approved = {"status": "approved", "honorability": "cleared", "honorability_valid_until": valid}
    found = [{"status": "applied"}] * 5 + [{"status": "in-review"}] * 4
    found += [approved | {"rectifications": ["case"]}] * 3
    for days in (-10, -1, 20, 59):
        found.append(approved | {"honorability_valid_until": (today + timedelta(days)).isoformat()})
    for status in ("approved", "paused", "declined", "left"):
        found += [approved | {"status": status}] * 11
    return found


async def test_the_space_pages_its_volunteers_in_the_store_what_waits_first(
    directory_settings,  # noqa: F811
    dev_issuer,
):
    """60 volunteers of Parrains Par Mille in Loire-Atlantique and one in the Nord: page 1
    holds 20, in the order `roster.ordered` gives (applications first), page 3 the last
    20; the filter lists one status; the pager's links keep it."""
    app = create_app(directory_settings)
    today = formats.today()
    async with serving(app) as client:
        uow, keys = lookup(app, UnitOfWork), lookup(app, VolunteerKeyStore)  # type: ignore[type-abstract]
        store = lookup(app, VolunteerStore)
        start = datetime(2026, 1, 1, tzinfo=UTC)
        for n, state in enumerate(states(today)):
            volunteer_id = await volunteer_service.apply(uow, keys, FORM)
            await store.collection.update_one(
                {"_id": volunteer_id}, {"$set": state | {"applied_at": start + timedelta(hours=n)}}
            )
        elsewhere = FORM.model_copy(update={"code_postal": "59000"})
        lille = await volunteer_service.apply(uow, keys, elsewhere)
        in_44 = [d for d in await store.all() if d["_id"] != lille]
        expected = [d["_id"] for d in roster.ordered(in_44, today)]
        assert [roster.tier_of(d, today) for d in roster.ordered(in_44, today)][:16] == (
            ["applied"] * 5 + ["in-review"] * 4 + ["rectify"] * 3 + ["renew"] * 4
        )

        found = await lookup(app, Roster).page(  # type: ignore[type-abstract]
            RosterQuery("parrains-par-mille", ("44",), None, today, 0, 100)
        )
        assert [d["_id"] for d in found.docs] == expected  # the store's order is the rule's
        assert found.by_tier == {
            "applied": 5, "in-review": 4, "rectify": 3, "renew": 4, "others": 44
        }  # fmt: skip

        await dev_issuer.sign_in(client, "ppm-nantes")
        first = html.unescape((await client.get("/association")).text)
        assert CARD.findall(first) == expected[:20]
        assert "9 candidatures à examiner" in first
        assert "3 rectifications demandées" in first
        assert "4 attestations d'honorabilité à renouveler" in first
        assert "60 bénévoles, page 1 sur 3" in first
        assert 'class="fr-pagination fr-mt-4w" aria-label="Pages de bénévoles"' in first
        assert 'href="?page=3"' in first
        last = html.unescape((await client.get("/association?page=3")).text)
        assert CARD.findall(last) == expected[40:]

        paused = html.unescape((await client.get("/association?statut=paused")).text)
        shown = CARD.findall(paused)
        paused_ids = {d["_id"] for d in in_44 if d["status"] == "paused"}
        assert shown == [i for i in expected if i in paused_ids]  # 11, in the rule's order
        assert len(shown) == 11
        assert '<option value="paused" selected>En pause (11)</option>' in paused
        assert "fr-pagination" not in paused  # 11: one page
        approved = html.unescape((await client.get("/association?statut=approved")).text)
        assert "18 bénévoles : candidature acceptée." in approved
        left = html.unescape((await client.get("/association?statut=declined&page=1")).text)
        assert len(CARD.findall(left)) == 11


async def test_the_pager_keeps_the_filter_and_a_review_returns_to_it(
    directory_settings,  # noqa: F811
    dev_issuer,
):
    app = create_app(directory_settings)
    async with serving(app) as client:
        uow, keys = lookup(app, UnitOfWork), lookup(app, VolunteerKeyStore)  # type: ignore[type-abstract]
        store = lookup(app, VolunteerStore)
        for _ in range(25):
            volunteer_id = await volunteer_service.apply(uow, keys, FORM)
            await store.collection.update_one(
                {"_id": volunteer_id}, {"$set": {"status": "declined"}}
            )
        await dev_issuer.sign_in(client, "ppm-nantes")
        page = html.unescape((await client.get("/association?statut=declined&page=2")).text)
        assert 'href="?statut=declined&page=1"' in page
        assert len(CARD.findall(page)) == 5
        csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
        retour = re.search(r'name="retour" value="([^"]*)"', page).group(1)
        [volunteer_id, *_] = CARD.findall(page)
        done = await client.post(
            f"/association/benevoles/{volunteer_id}",
            data={"csrf": csrf, "retour": retour, "honorabilite": "requested"},
        )
        assert done.status_code == 303
        assert re.fullmatch(
            r"/association\?statut=declined&page=2&resultat=[^#&]+#benevoles",
            done.headers["location"],
        )
        told = html.unescape((await client.get(done.headers["location"])).text)
        assert "La fiche du bénévole est mise à jour." in told
        astray = await client.post(
            f"/association/benevoles/{volunteer_id}",
            data={"csrf": csrf, "retour": "https://ailleurs.example&page=x", "statut": "left"},
        )
        assert astray.headers["location"].startswith("/association?")

        link = re.search(r'href="(/association/benevoles/\w+/coordonnees[^"]*)"', page).group(1)
        form = html.unescape((await client.get(html.unescape(link))).text)
        assert 'href="/association?statut=declined&page=2#benevole-' in form  # back, and Annuler
        corrected = await client.post(
            link.split("?")[0],
            data={
                "csrf": csrf,
                "retour": re.search(r'name="retour" value="([^"]*)"', form).group(1),
                "prenom": "Dominique",
                "nom": "Corrigé",
                "courriel": "d@example.org",
                "telephone": "",
                "code_postal": "44000",
            },
        )
        assert corrected.status_code == 303, corrected.text
        assert corrected.headers["location"].startswith(
            "/association?statut=declined&page=2&resultat="
        )


async def test_the_actions_have_their_own_pages_those_to_update_first(
    directory_settings,  # noqa: F811
    dev_issuer,
):
    """30 actions: 20 a page, the 4 not updated for six months or more first."""
    app = create_app(directory_settings)
    async with serving(app) as client:
        ppm = await bearer(dev_issuer, "ppm-nantes")
        ids = []
        for n in range(30):
            offer = body("Nantes", nom=f"Action {n:02d}")
            created = await client.post("/api/v1/staff/offers", json=offer, headers=ppm)
            assert created.status_code == 201, created.text
            ids.append(created.json()["offer_id"])
        offers = lookup(app, OfferStore)
        now = datetime.now(UTC)
        for offer_id, days in zip(ids[10:14], (200, 300, 190, 280), strict=True):
            await offers.collection.update_one(
                {"_id": offer_id}, {"$set": {"updated_at": now - timedelta(days=days)}}
            )
        await dev_issuer.sign_in(client, "ppm-nantes")
        first = html.unescape((await client.get("/association/actions")).text)
        names = re.findall(r'<a href="/offres/\w+">(Action \d+)</a>', first)
        assert names[:4] == ["Action 11", "Action 13", "Action 10", "Action 12"]  # hidden first
        assert len(names) == 20
        assert "30 actions, dont 4 à mettre à jour" in first
        assert 'aria-current="page">Actions</a>' in first
        second = html.unescape((await client.get("/association/actions?page=2")).text)
        assert re.findall(r'<a href="/offres/\w+">(Action \d+)</a>', second) == [
            f"Action {n:02d}" for n in range(20, 30)
        ]
        volunteers = (await client.get("/association")).text
        assert "/offres/" not in volunteers  # no longer at the bottom of the volunteers' page
