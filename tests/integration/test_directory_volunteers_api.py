"""The staff API's volunteers on the real store, a page at a time from a cursor: in the
space's order, each volunteer once even when some apply between two pages, only one's own
association's, and a parameter that does not fit refused in French, named."""

from datetime import UTC, datetime, timedelta

from entraide.directory.adapters.volunteers.store import VolunteerStore
from entraide.directory.app import create_app
from entraide.directory.domain.volunteers import roster
from entraide.directory.usecases import volunteers as volunteer_service
from entraide.directory.usecases.ports import Roster, RosterQuery, UnitOfWork, VolunteerKeyStore
from entraide.kit import formats
from entraide.kit.deps import lookup
from tests.integration.test_association_space_pages import states
from tests.integration.test_directory_offers import bearer, directory_settings  # noqa: F401
from tests.support import pages, serving
from tests.unit.directory.test_volunteer_use_cases import FORM

START = datetime(2026, 1, 1, tzinfo=UTC)
URL = "/api/v1/staff/volunteers"


async def stored(app, count: int, *, postal: str = "44000", same_hour: bool = False) -> list[str]:
    """`count` volunteers of Parrains Par Mille in the space's mix of states (applications,
    reviews, rectifications, checks to renew, the others), those of a state applied at the
    same hour when `same_hour` (the id decides between them)."""
    uow, keys = lookup(app, UnitOfWork), lookup(app, VolunteerKeyStore)  # type: ignore[type-abstract]
    store = lookup(app, VolunteerStore)
    ids = []
    for n, state in enumerate(states(formats.today())[:count]):
        volunteer_id = await volunteer_service.apply(
            uow, keys, FORM.model_copy(update={"code_postal": postal})
        )
        when = START + timedelta(hours=n // 4 if same_hour else n)
        await store.collection.update_one(
            {"_id": volunteer_id}, {"$set": state | {"applied_at": when}}
        )
        ids.append(volunteer_id)
    return ids


async def test_the_store_gives_what_follows_each_volunteer_as_the_rule_orders_it(
    directory_settings,  # noqa: F811
):
    """From the mark of each of 60 volunteers (equal hours, checks without a date among
    those to renew), the store lists exactly those after them in `roster.ordered`."""
    app = create_app(directory_settings)
    today = formats.today()
    async with serving(app):
        ids = await stored(app, 60, same_hour=True)
        store = lookup(app, VolunteerStore)
        undated = {"honorability": "requested", "honorability_valid_until": None}
        await store.collection.update_one({"_id": ids[12]}, {"$set": undated})
        docs = await store.all()
        expected = roster.ordered(docs, today)
        assert roster.tier_of(expected[12], today) == "renew"  # the undated check: first
        assert expected[12]["_id"] == ids[12]
        listing = lookup(app, Roster)  # type: ignore[type-abstract]
        for at, doc in enumerate(expected):
            mark = roster.mark_of(doc, today)
            query = RosterQuery("parrains-par-mille", ("44",), None, today, 0, 100, mark)
            found = await listing.page(query)
            assert [d["_id"] for d in found.docs] == [d["_id"] for d in expected[at + 1 :]], at
            assert found.total == 60


async def test_staff_follow_the_pages_to_the_end_each_volunteer_once(
    directory_settings,  # noqa: F811
    dev_issuer,
):
    """45 volunteers in Loire-Atlantique, 20 a page: page 2 and 3 by `next`; an application
    between two pages moves nobody else; the Nord's staff and the network's
    coordination list none of them."""
    app = create_app(directory_settings)
    async with serving(app) as client:
        ids = await stored(app, 45)
        lille = await stored(app, 2, postal="59000")
        nantes = await bearer(dev_issuer, "ppm-nantes")

        first = await client.get(f"{URL}?limit=20", headers=nantes)
        assert first.status_code == 200, first.text
        page = first.json()
        assert (len(page["volunteers"]), page["total"], page["limit"]) == (20, 45, 20)
        assert page["by_tier"] == {
            "applied": 5, "in-review": 4, "rectify": 3, "renew": 4, "others": 29
        }  # fmt: skip
        assert page["next"] == f"{URL}?limit=20&apres={page['apres']}"
        uow = lookup(app, UnitOfWork)  # type: ignore[type-abstract]
        keys = lookup(app, VolunteerKeyStore)  # type: ignore[type-abstract]
        newcomer = await volunteer_service.apply(
            uow, keys, FORM
        )  # in the first part, before the cursor
        rest = await pages(client, page["next"], nantes)
        listed = [v["volunteer_id"] for p in [page, *rest] for v in p["volunteers"]]
        assert [len(p["volunteers"]) for p in rest] == [20, 5]
        assert newcomer not in listed  # it came before the cursor: the next walk sees it
        assert sorted(listed) == sorted(ids)  # no one twice, no one missed
        in_44 = [d for d in await lookup(app, VolunteerStore).all() if d["_id"] in ids]
        assert listed == [d["_id"] for d in roster.ordered(in_44, formats.today())]
        assert (rest[-1]["next"], rest[-1]["total"]) == (None, 46)

        everyone = await pages(client, URL, nantes)
        assert [len(p["volunteers"]) for p in everyone] == [46]  # 50 a page by default
        lille_staff = await client.get(URL, headers=await bearer(dev_issuer, "afev-lille"))
        found = lille_staff.json()  # their association's: none of Nantes's
        assert (found["volunteers"], found["total"], found["next"]) == ([], 0, None)
        # no association, no list (as on the space): said, not an empty page
        for role in ("coordination-reseau", "dpo", "financeur"):
            refused = await client.get(URL, headers=await bearer(dev_issuer, role))
            assert refused.status_code == 403, role
            assert "rattaché(e) à aucune association" in refused.json()["detail"]
        elsewhere = await pages(client, URL, await bearer(dev_issuer, "coordination-ppm"))
        assert not set(lille) & {v["volunteer_id"] for v in elsewhere[0]["volunteers"]}

        paused = await pages(client, f"{URL}?statut=paused&limit=4", nantes)
        assert [len(p["volunteers"]) for p in paused] == [4, 4, 3]
        assert all("statut=paused" in p["next"] for p in paused[:-1])
        assert {v["status"] for p in paused for v in p["volunteers"]} == {"paused"}


async def test_a_parameter_that_does_not_fit_is_refused_in_french_by_name(
    directory_settings,  # noqa: F811
    dev_issuer,
):
    app = create_app(directory_settings)
    async with serving(app) as client:
        nantes = await bearer(dev_issuer, "ppm-nantes")
        for asked, field, message in (
            ("limit=201", "query.limit", "La valeur doit être au plus 200."),
            ("limit=0", "query.limit", "La valeur doit être au moins 1."),
            ("statut=partie", "query.statut", "Choix inconnu"),
            ("apres=pas-un-curseur", "query.apres", "Ce curseur n'est pas valide"),
        ):
            refused = await client.get(f"{URL}?{asked}", headers=nantes)
            assert refused.status_code == 422, asked
            [error] = refused.json()["detail"]
            assert (error["field"], error["message"][: len(message)]) == (field, message)
        assert (await client.get(f"{URL}?limit=200", headers=nantes)).status_code == 200

        described = (await client.get("/openapi.json")).json()
        listing = described["paths"][URL]["get"]
        assert {p["name"] for p in listing["parameters"]} == {"limit", "statut", "apres"}
        assert all(p.get("description") for p in listing["parameters"])
        answer = listing["responses"]["200"]["content"]["application/json"]["schema"]
        assert answer == {"$ref": "#/components/schemas/VolunteerPage"}
        page = described["components"]["schemas"]["VolunteerPage"]["properties"]
        assert {"volunteers", "total", "apres", "next"} <= page.keys()
