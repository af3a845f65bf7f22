"""Follow-ups on the real broker and store: a match started two months ago is overdue
(its one-month follow-up, six weeks without contact) in the coordinator's « À faire
aujourd'hui »; a contact intake logs (`family.contact-logged` on the requests topic) moves
its rupture alert six weeks on, a check-in clears the one-month item, and the page only
reads what was stored. Another association's coordinator sees none of it."""

import re
import uuid
from datetime import UTC, datetime, timedelta

import httpx

from entraide.contracts import new_event
from entraide.contracts.events import ContactLogged, ErasureRequested, MatchCheckedIn
from entraide.contracts.vocab import ContactChannel, ErasureReason, MatchOutcome, SubjectKind
from entraide.kit import formats
from entraide.kit.deps import lookup
from entraide.matching.adapters.documents import document_of
from entraide.matching.adapters.followups import FollowUpStore
from entraide.matching.adapters.matches import MatchStore
from entraide.matching.adapters.rights import MatchingRights
from entraide.matching.adapters.volunteers import VolunteerViews
from entraide.matching.app import create_app
from entraide.matching.domain.followups import RUPTURE, paris_day
from entraide.matching.usecases.engine import Engine
from entraide.matching.usecases.followups import FollowUps
from entraide.matching.usecases.proposals import ids_of
from tests.matching_support import feed, request, started_match, volunteer
from tests.support import eventually, serving

QUEUE = re.compile(r'<section aria-labelledby="a-faire">(.*?)</section>', re.S)


async def queue_of(client) -> str:
    page = await client.get("/suivis")
    assert page.status_code == 200
    found = QUEUE.search(page.text)
    assert found, "the « À faire aujourd'hui » section"
    return found.group(1)


async def test_a_contact_logged_moves_the_rupture_alert_out_of_todays_queue(
    matching_settings, dev_issuer
) -> None:
    async with feed(matching_settings.kafka_bootstrap) as world:
        app = create_app(world.settings(dev_issuer.settings_for(matching_settings)))
        async with serving(app) as matching:
            await world.send(world.volunteers, volunteer("vol-followup1"), "vol-followup1")
            await eventually(
                lambda: lookup(app, VolunteerViews).get("vol-followup1"), what="the volunteer"
            )
            req = request()
            await world.send(world.requests, req, req.family_ref)
            engine, store = lookup(app, Engine), lookup(app, FollowUpStore)
            match = await eventually(
                lambda: engine.store.open_for_request(req.request_id), what="proposal"
            )
            # accepted and started two months ago (the engine's clock), nothing since
            real_clock, long_ago = engine.clock, datetime.now(UTC) - timedelta(days=60)
            engine.clock = lambda: long_ago
            await engine.accept(match.match_id)
            await engine.start(match.match_id)
            engine.clock = real_clock

            stored = await store.followups.find_one({"_id": match.match_id})
            assert stored is not None, "the schedule stored when the match started"
            due = {i["kind"]: i for i in stored["items"]}
            assert set(due) == {"1-month", "3-month", RUPTURE}
            assert due[RUPTURE]["on"] == paris_day(long_ago + timedelta(weeks=6)).isoformat()
            assert stored["family_ref"] == req.family_ref  # erasure finds it

            await dev_issuer.sign_in(matching, "coordination-ppm")
            todo = await queue_of(matching)
            assert "Six semaines sans contact" in todo
            assert "Suivi à un mois" in todo
            assert "en retard" in todo
            assert "Suivi à trois mois" not in todo  # due in a month
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://service") as afev:
                await dev_issuer.sign_in(afev, "coordination-afev")
                assert "Rien n'est dû aujourd'hui" in await queue_of(afev)

            # intake logs a call: the rupture alert moves six weeks on, from the event
            called = datetime.now(UTC).replace(microsecond=0)
            contact = ContactLogged(
                family_ref=req.family_ref, channel=ContactChannel.PHONE, contacted_at=called
            )
            await world.send(world.requests, contact, req.family_ref)

            async def moved():
                doc = await store.followups.find_one({"_id": match.match_id})
                items = {i["kind"]: i for i in doc["items"]}
                return doc if items[RUPTURE]["at"] == called + timedelta(weeks=6) else None

            doc = await eventually(moved, what="the rupture alert moved by the contact")
            assert doc["last_contact_at"] == called
            todo = await queue_of(matching)
            assert "Six semaines sans contact" not in todo
            assert "Suivi à un mois" in todo  # a call is not the follow-up

            # the coordinator's one-month follow-up clears that item at once
            await engine.check_in(match.match_id, "1-month")
            doc = await store.followups.find_one({"_id": match.match_id})
            assert "1-month" not in {i["kind"] for i in doc["items"]}
            assert "Rien n'est dû aujourd'hui" in await queue_of(matching)

            # the scheduler's round finds nothing to change, and forgets an ended match
            assert await lookup(app, FollowUps).refresh() == 0
            await engine.close(match.match_id, MatchOutcome.COMPLETED)
            assert await store.followups.find_one({"_id": match.match_id}) is None


async def accepted_by_one_volunteer(world, app, ref: str, families: list) -> list:
    """One volunteer (two places) announced, each family's request sent and its proposal
    accepted; the matches, in the families' order."""
    await world.send(world.volunteers, volunteer(ref, capacity=2), ref)
    await eventually(lambda: lookup(app, VolunteerViews).get(ref), what="the volunteer")
    engine, matches = lookup(app, Engine), []
    for req in families:
        await world.send(world.requests, req, req.family_ref)
        match = await eventually(
            lambda req=req: engine.store.open_for_request(req.request_id), what="proposal"
        )
        await engine.accept(match.match_id)
        matches.append(match)
    return matches


async def test_two_alike_families_read_apart_on_the_follow_ups_page(
    matching_settings, dev_issuer
) -> None:
    """Two families of the same profile with the same volunteer: each heading on /suivis
    says the day its request was made and its short reference, as /propositions does."""
    async with feed(matching_settings.kafka_bootstrap) as world:
        app = create_app(world.settings(dev_issuer.settings_for(matching_settings)))
        async with serving(app) as matching:
            families = [request(waited=timedelta(days=3)), request()]
            await accepted_by_one_volunteer(world, app, "vol-followup-apart", families)

            await dev_issuer.sign_in(matching, "coordination-ppm")
            page = await matching.get("/suivis")
            assert page.status_code == 200
            headings = [
                re.sub(r"<[^>]+>", "", h)
                for h in re.findall(r'<h3 class="fr-h5" id="suivi-[^"]*">(.*?)</h3>', page.text)
            ]
            for req in families:
                asked = formats.day(req.submitted_at)
                short = formats.reference(req.request_id)
                said = f"Famille à Nantes (44000), demande du {asked} (réf. {short})"
                assert any(h.startswith(said) for h in headings), (said, headings)


async def test_a_follow_up_noted_twice_at_once_is_stored_once(mongo, unique) -> None:
    """Two coordinators note the one-month follow-up from the same page: both read the
    match without it, the first one's write lands and the second's is refused (the
    write is guarded by the follow-ups it read), so the match holds it once."""
    db = mongo[f"test_check_in_{unique}"]
    store, now = MatchStore(db), datetime.now(UTC)
    started = started_match(now, family_ref=f"fam-{unique}", urgency="normal")
    await db["matches"].insert_one(document_of(started))
    read_by_both = await store.get(started.match_id)
    checked = MatchCheckedIn(**ids_of(started), checked_in_at=now, kind="1-month")
    event = new_event(checked, source="/tests", subject=started.family_ref)

    assert await store.check_in(read_by_both, "1-month", now, event)
    assert not await store.check_in(read_by_both, "1-month", now, event)
    stored = await store.get(started.match_id)
    assert stored.check_ins == ("1-month",)
    await mongo.drop_database(db.name)


ENDED = re.compile(r'<section aria-labelledby="termines">(.*?)</section>', re.S)


async def test_the_follow_ups_page_says_which_supports_ended_and_why(
    matching_settings, dev_issuer
) -> None:
    """A support ended by the coordinator, and one whose family was erased (only the
    support's side is left), in « Terminés ces 30 derniers jours » with the day and why;
    another association's coordinator sees neither."""
    async with feed(matching_settings.kafka_bootstrap) as world:
        app = create_app(world.settings(dev_issuer.settings_for(matching_settings)))
        async with serving(app) as matching:
            ref, families = f"vol-ended-{uuid.uuid4().hex[:6]}", [request(), request()]
            matches = await accepted_by_one_volunteer(world, app, ref, families)
            engine = lookup(app, Engine)
            completed, erased = families
            await engine.close(matches[0].match_id, MatchOutcome.COMPLETED)
            erasure = ErasureRequested(
                case_id=f"case-{erased.family_ref}",
                subject_ref=erased.family_ref,
                subject_kind=SubjectKind.FAMILY,
                deadline=datetime.now(UTC) + timedelta(days=30),
                reason=ErasureReason.RIGHTS_REQUEST,
            )
            await lookup(app, MatchingRights).erase(erasure)

            await dev_issuer.sign_in(matching, "coordination-ppm")
            page = await matching.get("/suivis")
            assert page.status_code == 200
            found = ENDED.search(page.text)
            assert found, "the « Terminés ces 30 derniers jours » section"
            lines = [
                re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", li))
                for li in re.findall(r"<li>(.*?)</li>", found.group(1), re.S)
            ]
            today = formats.day(datetime.now(UTC))
            said = f"réf. {formats.reference(completed.request_id)}"
            [done] = [line for line in lines if said in line]
            assert f"Le {today}" in done
            assert "Accompagnement mené à son terme" in done
            [gone] = [line for line in lines if "Famille dont les données ont été effacées" in line]
            assert "Données de la famille effacées" in gone
            assert formats.reference(erased.request_id) not in page.text
            assert "Bénévole de" in gone  # the support's side is left
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://service") as afev:
                await dev_issuer.sign_in(afev, "coordination-afev")
                other = ENDED.search((await afev.get("/suivis")).text)
                assert "Aucun accompagnement terminé" in other.group(1)


async def test_a_started_support_shows_the_follow_ups_already_noted(
    matching_settings, dev_issuer
) -> None:
    """After « Suivi noté. » the match's card on /suivis says which follow-ups were noted
    and on which day in Paris (one noted at 23 h 30 UTC counts on the next day)."""
    async with feed(matching_settings.kafka_bootstrap) as world:
        app = create_app(world.settings(dev_issuer.settings_for(matching_settings)))
        async with serving(app) as matching:
            ref = f"vol-noted-{uuid.uuid4().hex[:6]}"
            await world.send(world.volunteers, volunteer(ref), ref)
            await eventually(lambda: lookup(app, VolunteerViews).get(ref), what="the volunteer")
            req = request()
            await world.send(world.requests, req, req.family_ref)
            engine = lookup(app, Engine)
            match = await eventually(
                lambda: engine.store.open_for_request(req.request_id), what="proposal"
            )
            # started 35 days ago; another point ten days in, the one-month follow-up late
            # in the evening two days ago (already the next day in Paris)
            late = (datetime.now(UTC) - timedelta(days=2)).replace(hour=23, minute=30)
            started, other = late - timedelta(days=35), (late - timedelta(days=25)).replace(hour=10)
            real_clock = engine.clock
            for at, step in [
                (started, lambda: engine.accept(match.match_id)),
                (started, lambda: engine.start(match.match_id)),
                (other, lambda: engine.check_in(match.match_id, "other")),
                (late, lambda: engine.check_in(match.match_id, "1-month")),
            ]:
                engine.clock = lambda at=at: at
                await step()
            engine.clock = real_clock

            await dev_issuer.sign_in(matching, "coordination-ppm")
            page = await matching.get("/suivis")
            assert page.status_code == 200
            card = re.search(
                rf'<article [^>]*aria-labelledby="suivi-{match.match_id}">(.*?)</article>',
                page.text,
                re.S,
            )
            assert card, "the match's card"
            said = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", card.group(1)))
            assert f"Autre point noté le {formats.day(other)}" in said
            next_day = (late.date() + timedelta(days=1)).strftime("%d/%m/%Y")  # in Paris
            assert f"Suivi à un mois noté le {next_day}" in said
