"""A coordinator, in a real browser, accepts one proposal and declines another; the
declined family gets the next candidate at once (matching served over real HTTP, fed on
scratch topics of the real broker)."""

from playwright.async_api import Page, expect

from entraide.matching.app import create_app
from tests.browser import accessibility_violations
from tests.matching_support import feed, request, volunteer
from tests.servers import serve_in_thread
from tests.support import eventually


async def test_coordinator_accepts_one_declines_another_and_the_family_gets_the_next(
    matching_settings, dev_issuer, mongo, page: Page
) -> None:
    async with feed(matching_settings.kafka_bootstrap) as world:
        app = create_app(world.settings(dev_issuer.settings_for(matching_settings)))
        db = mongo[matching_settings.database]  # the app's own client lives in its thread

        async def open_match(request_id):
            return await db["matches"].find_one({"open_request": request_id})

        with serve_in_thread(app, name="matching") as matching:
            for ref, postal_code in [
                ("vol-rezeA", "44400"),
                ("vol-vertouB", "44120"),
                ("vol-carquC", "44470"),
            ]:
                await world.send(world.volunteers, volunteer(ref, postal_code=postal_code), ref)
            await eventually(lambda: _count(db["volunteers"], 3), what="volunteers known")
            first, second = request(urgency="high"), request()
            await world.send(world.requests, first, first.family_ref)
            await eventually(lambda: open_match(first.request_id), what="1st")
            await world.send(world.requests, second, second.family_ref)
            proposal = await eventually(lambda: open_match(second.request_id), what="2nd proposal")
            declined_key = proposal["support_key"]

            await page.goto(f"{matching}/propositions")
            await page.get_by_label("Identifiant").fill("coordination-ppm")
            await page.get_by_label("Mot de passe").fill("demo")
            await page.get_by_role("button", name="Se connecter").click()
            await expect(page).to_have_url(f"{matching}/propositions")
            cards = page.locator("article.proposition")
            await expect(cards).to_have_count(2)
            assert await accessibility_violations(page) == []

            mine = page.locator(f'article.proposition[data-request="{first.request_id}"]')
            await expect(mine).to_contain_text("Détail du score")
            await mine.get_by_role("button", name="Accepter").click()
            await expect(page.get_by_role("status")).to_contain_text("Proposition acceptée")

            other = page.locator(f'article.proposition[data-request="{second.request_id}"]')
            await other.get_by_label("Motif du refus").select_option("volunteer-unavailable")
            await other.get_by_role("button", name="Décliner").click()
            await expect(page.get_by_role("status")).to_contain_text(
                "reçoit la proposition suivante"
            )

            # the declined family is back in the queue with another volunteer
            again = page.locator(f'article.proposition[data-request="{second.request_id}"]')
            await expect(again).to_have_count(1)
            now = await open_match(second.request_id)
            assert now["support_key"] not in (declined_key, "volunteer:vol-rezeA")
            where = {
                "vol-vertouB": "Vertou (44120)",
                "vol-carquC": "Carquefou ou alentours (44470)",
            }[now["support_key"][10:]]
            await expect(again).to_contain_text(f"Bénévole de Parrains Par Mille : {where}")
            assert (await open_match(first.request_id))["state"] == "accepted"


async def _count(collection, n: int) -> bool:
    return await collection.count_documents({}) == n
